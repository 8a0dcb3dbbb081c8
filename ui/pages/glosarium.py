"""Glosarium: the technical terms the questions use, in both languages."""

import streamlit as st

from ui.common import glossary, page_setup, plain, t

page = page_setup("nav.glosarium")
terms = glossary()
if terms is None:
    st.info(t("glossary.none"))
    st.stop()
query = st.text_input(t("glossary.search"), placeholder=t("glossary.placeholder")).strip().lower()
other = "en" if page.lang == "id" else "id"
shown = [term for term in sorted(terms.terms, key=lambda x: x.term.get(page.lang).lower())
         if not query or query in f"{term.term.id} {term.term.en} {term.definition.get(page.lang)}".lower()]
if not shown:
    st.info(t("glossary.no_match", query=query))
for term in shown:
    st.markdown(f"**{plain(term.term.get(page.lang))}** ({plain(term.term.get(other))})  \n"
                f"{plain(term.definition.get(page.lang))}")
