"""Names and comments a user could type, each of which Markdown would otherwise link."""

HOSTILE = [
    "SD Negeri 1 https://masuk-dapodik.example/login",
    "Kunjungi www.bantuan-sekolah.example sekarang",
    "Hubungi admin@dinas-pendidikan.example",
    "HTTP://HURUF-BESAR.EXAMPLE dan WWW.HURUF-BESAR.EXAMPLE",
    "mailto:budi@contoh.example",
    "[klik](https://tautan.example) <https://sudut.example>",
]
