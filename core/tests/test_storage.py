"""Saving files when the disk is full or read-only: a clear error, and no file left behind."""

import errno
import os
import tempfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core.storage import SafeFileSystemStorage, StorageFailed, files_removed_on_error, private_storage


@pytest.fixture
def storage(tmp_path):
    return SafeFileSystemStorage(location=tmp_path)


def files_under(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _dirs, names in os.walk(root) for name in names
    )


def test_media_and_private_storage_both_save_safely():
    assert isinstance(storages["default"], SafeFileSystemStorage)
    assert isinstance(private_storage(), SafeFileSystemStorage)


def test_a_file_is_saved_whole_under_its_name(storage, tmp_path):
    name = storage.save("docs/方案.pdf", ContentFile(b"%PDF-1.7 content"))
    assert name == "docs/方案.pdf"
    assert (tmp_path / "docs" / "方案.pdf").read_bytes() == b"%PDF-1.7 content"
    assert files_under(tmp_path) == ["docs/方案.pdf"]
    assert oct((tmp_path / "docs" / "方案.pdf").stat().st_mode & 0o777) == oct(0o644)


def test_a_taken_name_is_never_overwritten(storage, tmp_path):
    first = storage.save("a.txt", ContentFile(b"first"))
    second = storage.save("a.txt", ContentFile(b"second"))
    assert first != second
    assert (tmp_path / first).read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"


def test_a_full_disk_raises_a_clear_error_and_leaves_no_file(storage, tmp_path, monkeypatch):
    def write_half_then_fail(self, file, content):
        file.write(b"half of it")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SafeFileSystemStorage, "_write", write_half_then_fail)
    with pytest.raises(StorageFailed) as error:
        storage.save("docs/a.pdf", ContentFile(b"%PDF-1.7 " + b"x" * 100_000))
    assert error.value.code == "save_failed"
    assert "文件保存失败" in error.value.message
    assert files_under(tmp_path) == []


def test_a_read_only_volume_raises_a_clear_error(storage, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(StorageFailed):
        storage.save("a.txt", ContentFile(b"x"))
    assert files_under(tmp_path) == []


def test_files_saved_in_a_block_that_fails_are_removed(storage, tmp_path):
    with pytest.raises(RuntimeError), files_removed_on_error():
        storage.save("a.txt", ContentFile(b"x"))
        storage.save("b.txt", ContentFile(b"y"))
        raise RuntimeError("the row could not be saved")
    assert files_under(tmp_path) == []


def test_files_saved_in_a_block_that_succeeds_stay(storage, tmp_path):
    with files_removed_on_error():
        storage.save("a.txt", ContentFile(b"x"))
    assert files_under(tmp_path) == ["a.txt"]
