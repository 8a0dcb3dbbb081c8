"""Kata sandi: any signed-in user chooses a new password."""

from ui.signin import change_password_page

change_password_page()
