"""Sekolah (admin): import schools from a CSV file, checked row by row by the same rules as
`python -m storage import-schools` (nothing is stored unless every row is valid), and look
schools up."""

import streamlit as st

import storage
from storage.schools import CSV_COLUMNS, KABUPATEN_CODE
from ui.common import db, page_setup, show_error, t
from ui.views import require_role

page = page_setup("nav.admin_sekolah")
actor = require_role("admin")

st.subheader(t("schools.import"))
st.markdown(t("schools.import_intro"))
st.code(",".join((*CSV_COLUMNS, KABUPATEN_CODE)) + "\n20100001,SD Negeri 1 Contoh,SD,negeri,13,Kota Padang,1371",
        language=None)
st.caption(t("schools.kabupaten_code_hint"))
upload = st.file_uploader(t("schools.file"), type=["csv"], key="sekolah_admin.file")
if upload is not None and st.button(t("schools.import_button"), type="primary", icon=":material/upload:"):
    try:
        with db() as session:
            added, updated = storage.import_schools(session, actor, upload.getvalue(), upload.name)
    except storage.InvalidInput as err:
        st.error(t("schools.invalid", count=len(err.problems) or 1))
        st.code(str(err), language=None)  # plain text: names and values come from the file
    except storage.StorageError as err:
        show_error(err)
    else:
        st.success(t("schools.imported", added=added, updated=updated))

st.subheader(t("schools.find"))
query = st.text_input(t("views.search"), key="sekolah_admin.search", placeholder=t("views.search_hint"))
with db() as session:
    found = storage.list_schools(session, actor, search=query.strip() or None, limit=200)
st.dataframe([{t("views.col.npsn"): s.npsn, t("views.col.name"): s.name, t("views.jenjang"): s.jenjang,
               t("views.school_status"): t(f"views.status.{s.status}"), t("views.province"): s.province,
               t("views.kabupaten_kota"): s.kabupaten_kota} for s in found],
             hide_index=True, width="stretch", key="sekolah_admin.tabel")  # fmt: skip
st.caption(t("schools.shown", count=len(found)))
