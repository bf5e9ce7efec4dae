import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the superuser 'admin' if missing and print how to log in (used by `make run`)."

    def handle(self, *args, **options):
        user_model = get_user_model()
        username = os.environ.get("DJANGO_ADMIN_USERNAME", "admin")
        if user_model.objects.filter(username=username).exists():
            # The password is printed once, when the account is made; never again.
            self.stdout.write(f"用户 {username} 已存在；如忘记密码请运行 manage.py changepassword {username}")
            return
        password = os.environ.get("DJANGO_ADMIN_PASSWORD")
        if password:
            try:
                validate_password(password, user_model(username=username))
            except ValidationError as error:
                raise CommandError("DJANGO_ADMIN_PASSWORD 不符合密码规则：" + " ".join(error.messages)) from error
        else:
            password = secrets.token_urlsafe(16)
        user_model.objects.create_superuser(username=username, password=password, first_name="系统管理员")
        self.stdout.write(
            self.style.SUCCESS(
                f"后台登录 / admin login: http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/  "
                f"用户名 {username}  密码 {password}（仅显示这一次，请记下；首次登录时需设置双因素认证）"
            )
        )
