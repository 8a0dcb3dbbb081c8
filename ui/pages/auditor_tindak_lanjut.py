"""Tindak lanjut (auditor): the schools' plans in the auditor's provinces: overdue tasks, the
share of planned actions done, and the schools with a result but no plan."""


from ui.common import current_period, page_setup
from ui.plan_views import auditor_follow_up, plan_shares
from ui.school import pick_questionnaire
from ui.views import require_role

page = page_setup("nav.auditor_tindak_lanjut")
actor = require_role("auditor", "admin")
chosen = pick_questionnaire(actor)
period = current_period()
auditor_follow_up(actor, chosen.id, period)
plan_shares(actor, chosen.id)
