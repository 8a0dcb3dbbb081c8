"""The data layer's messages about uploads and review decisions, by id, in Bahasa Indonesia
and English. They join scoring's catalogue, so one `Message` type renders everywhere."""

from __future__ import annotations

from scoring.messages import extend

# id: (Bahasa Indonesia, English)
TEXTS: dict[str, tuple[str, str]] = {
    # bulk import: the upload itself
    "bulk.wrong_type": ("unggah satu berkas .zip berisi berkas jawaban atau satu berkas .csv",
                        "upload a .zip of answers files or one .csv file"),
    "zip.unreadable": ("bukan berkas zip yang dapat dibaca", "not a readable zip file"),
    "zip.too_many": ("berisi {count} berkas; paling banyak {max} per unggahan",
                     "holds {count} files; at most {max} per upload"),
    "zip.too_big": ("isinya lebih dari {mib} MiB setelah dibuka", "unpacks to more than {mib} MiB"),
    "bulk.period_needed": ("pilih periode (seperti 2025-1) jawaban ini",
                           "choose the period (like 2025-1) the answers are for"),
    "zip.not_answers": ("bukan berkas jawaban: gunakan .yaml, .yml, .json atau .xlsx",
                        "not an answers file: use .yaml, .yml, .json or .xlsx"),
    "zip.wrong_size": ("zip mencantumkan ukuran yang salah untuk berkas ini (rusak atau dibuat-buat); berkas tidak "
                       "dibaca", "the zip declares a wrong size for this file (damaged or crafted); it is not read"),
    "bulk.form_other_school": ("formulir ini untuk NPSN {form}, bukan {name}",
                               "this form is for NPSN {form}, not {name}"),
    "zip.cannot_unpack": ("tidak dapat dibuka (rusak, terenkripsi atau dikompresi dengan cara tak lazim)",
                          "cannot be unpacked (damaged, encrypted or compressed oddly)"),
    "bulk.npsn_needed": ("wajib diisi, atau beri nama berkas dengan NPSN sekolah (mis. 20100001.yaml)",
                         "is required, or name the file after the school's NPSN (e.g. 20100001.yaml)"),
    "bulk.incomplete": ("{count} pertanyaan belum dijawab ({ids}); penilaian yang dikirim perlu semua jawaban "
                        "('na' bila diizinkan)",
                        "{count} question(s) are not answered ({ids}); a submitted assessment needs every answer "
                        "('na' where it is allowed)"),
    # CSV files (bulk answers and schools)
    "csv.not_utf8": ("berkas bukan teks UTF-8 (byte {byte}); simpan sebagai \"CSV UTF-8\"",
                     "the file is not UTF-8 text (byte {byte}); save it as \"CSV UTF-8\""),
    "csv.unreadable": ("tidak dapat dibaca sebagai CSV: {detail}", "cannot be read as CSV: {detail}"),
    "csv.header_missing": ("baris judul harus memuat kolom '{column}'", "the header must name the column '{column}'"),
    "csv.column_twice": ("kolom ini disebut dua kali", "this column is named twice"),
    "csv.too_many_rows": ("berisi lebih dari {max} baris; bagi menjadi beberapa berkas",
                          "holds more than {max} rows; split it into smaller files"),
    "csv.cell_count": ("berisi {cells} sel; baris judul berisi {header}", "has {cells} cells; the header has {header}"),
    "csv.no_rows": ("berkas punya baris judul tetapi tidak ada baris data", "the file has a header but no rows"),
    "npsn.pattern": ("'{npsn}' harus 8 karakter, huruf kapital A-Z atau angka (mis. 20100001)",
                     "'{npsn}' must be 8 characters, capital letters A-Z or digits (e.g. 20100001)"),
    "period.pattern": ("'{period}' harus tahun dan semester, seperti 2025-1",
                       "'{period}' must be a year and semester, like 2025-1"),
    # bulk import: against the database
    "bulk.not_in_scope": ("'{npsn}' bukan sekolah di provinsi Anda", "'{npsn}' is not a school in your provinces"),
    "bulk.duplicate_line": ("sekolah {npsn}, periode {period} sudah ada di unggahan ini (baris {line})",
                            "school {npsn}, period {period} is already in this upload (line {line})"),
    "bulk.duplicate_file": ("sekolah {npsn}, periode {period} sudah ada di unggahan ini ({file})",
                            "school {npsn}, period {period} is already in this upload ({file})"),
    "bulk.already_submitted": ("sekolah {npsn} sudah mengirim penilaian {period}; penilaian itu tidak diganti",
                               "school {npsn} has already submitted its assessment of {period}; it is not replaced"),
    "bulk.already_verified": ("penilaian {period} sekolah {npsn} sudah diverifikasi; penilaian itu tidak diganti",
                              "school {npsn} has already verified its assessment of {period}; it is not replaced"),
    "bulk.old_version": ("draf {period} sekolah {npsn} memakai versi kuesioner lama; draf itu tidak diganti",
                         "school {npsn}'s draft of {period} uses an older questionnaire version; it is not replaced"),
    "status.draft": ("draf", "draft"),
    "status.returned": ("dikembalikan", "returned"),
    "bulk.not_checked": ("sekolah {npsn} punya penilaian {period} berstatus {status} yang akan diganti unggahan ini; "
                         "periksa unggahan dulu, lalu konfirmasi",
                         "school {npsn} has a {status} assessment of {period} that this upload would replace; check "
                         "the upload first and confirm"),
    "bulk.changed_since_check": ("penilaian {period} sekolah {npsn} (berstatus {status}) berubah setelah diperiksa "
                                 "(versi {seen}, kini {now}); tidak diganti: periksa unggahan lagi",
                                 "school {npsn}'s {status} assessment of {period} changed after the check (version "
                                 "{seen}, now {now}); it is not replaced: check the upload again"),
    # limits on text (storage/limits.py)
    "limit.field": ("{field}: {problem}", "{field}: {problem}"),
    "limit.too_long": ("paling banyak {limit} karakter (ini {length})",
                       "may have at most {limit} characters (it has {length})"),
    "limit.control_character": ("memuat karakter kendali ({char}) pada karakter ke-{position}; hapus karakter itu "
                                "(biasanya terbawa saat menyalin dari program lain)",
                                "holds a control character ({char}) at character {position}; remove it (it often "
                                "comes from copying out of another program)"),
    # the admin's school import
    "schools.header": ("baris judul harus memuat kolom {columns}; yang belum ada: {missing}",
                       "the header must name the columns {columns}; missing: {missing}"),
    "schools.name": ("wajib diisi, paling banyak {max} karakter", "must be given, at most {max} characters"),
    "schools.jenjang": ("'{value}' harus salah satu dari {allowed}", "'{value}' must be one of {allowed}"),
    "schools.status": ("'{value}' harus negeri atau swasta", "'{value}' must be negeri or swasta"),
    "schools.province": ("'{value}' bukan kode provinsi BPS (mis. 13 untuk Sumatera Barat)",
                         "'{value}' is not a BPS province code (e.g. 13 for Sumatera Barat)"),
    "schools.kabupaten": ("wajib diisi, paling banyak {max} karakter", "must be given, at most {max} characters"),
    "schools.duplicate": ("'{npsn}' sudah ada di baris {line}", "'{npsn}' is already on line {line}"),
    "schools.no_rows": ("berkas punya baris judul tetapi tidak ada sekolah", "the file has a header but no schools"),
    "schools.nothing_imported": ("{source}: {count} masalah; tidak ada yang diimpor",
                                 "{source}: {count} problem(s); nothing was imported"),
    "schools.not_utf8": ("{source}: berkas bukan teks UTF-8 (byte {byte}); simpan sebagai \"CSV UTF-8\"",
                         "{source}: the file is not UTF-8 text (byte {byte})"),
    # accounts, notes and the paged table
    "users.own_deactivation": ("Anda tidak dapat menonaktifkan akun Anda sendiri; minta admin lain.",
                               "You cannot deactivate your own account; ask another admin."),
    "users.own_admin_role": ("Anda tidak dapat mencabut peran admin dari akun Anda sendiri; minta admin lain.",
                             "You cannot take the admin role from your own account; ask another admin."),
    "answer.note_needs_answer": ("Catatan perlu jawaban lebih dulu: pilih jawaban untuk pertanyaan ini.",
                                 "A note needs an answer first: choose an answer for this question."),
    "table.page_position": ("Posisi halaman tidak cocok dengan urutan; mulai dari halaman pertama.",
                            "The page position does not fit the sort order; start from the first page."),
    # review decisions
    "review.reason_needed": ("Tuliskan alasan penilaian dikembalikan, agar sekolah tahu apa yang harus diperbaiki.",
                             "Say why the assessment is returned, so the school knows what to fix."),
    "review.disagreed": ("{count} jawaban ditandai 'tidak setuju' ({ids}); kembalikan penilaian ke sekolah, "
                         "atau ubah tanda itu.",
                         "{count} answer(s) are marked 'disagree' ({ids}); return the assessment to the school "
                         "instead, or change those marks."),
    "review.unknown_question": ("Pertanyaan '{qid}' tidak ada di {questionnaire} versi {version}.",
                                "Question '{qid}' is not in {questionnaire} version {version}."),
}
extend(TEXTS)
