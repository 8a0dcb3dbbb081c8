

def test_a_new_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    from storage import db as storage_db

    path = tmp_path / "baru" / "siaga.db"
    storage_db.make_engine(f"sqlite:///{path}").dispose()
    assert path.stat().st_mode & 0o777 == 0o600
