import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the superuser 'admin' if missing and print how to log in (used by `make run`)."

    def handle(self, *args, **options):
        credentials_file = settings.VAR_DIR / "admin-credentials.txt"
        user_model = get_user_model()
        username = os.environ.get("DJANGO_ADMIN_USERNAME", "admin")
        if not user_model.objects.filter(username=username).exists():
            password = os.environ.get("DJANGO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username=username, password=password, first_name="系统管理员")
            credentials_file.parent.mkdir(parents=True, exist_ok=True)
            credentials_file.write_text(f"{username}\n{password}\n", encoding="utf-8")
            credentials_file.chmod(0o600)
        if credentials_file.exists():
            saved_username, saved_password = credentials_file.read_text(encoding="utf-8").split()[:2]
            self.stdout.write(
                self.style.SUCCESS(
                    "后台登录 / admin login: http://127.0.0.1:8000/admin/  "
                    f"用户名 {saved_username}  密码 {saved_password}"
                )
            )
        else:
            self.stdout.write(f"用户 {username} 已存在；如忘记密码请运行 manage.py changepassword {username}")
