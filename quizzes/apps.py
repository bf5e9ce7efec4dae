from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Study quizzes")
    unit_staff_permissions = [
        f"{action}_{model}"
        for model in ["quiz", "question", "choice"]
        for action in ["view", "add", "change", "delete"]
    ] + ["view_attempt"]

    def navigation_item(self, request):
        from django.urls import reverse

        from quizzes.selectors import quizzes_for

        if quizzes_for(request.user).exists():
            return {"label": _("My quizzes"), "url": reverse("quizzes:quiz-list")}
        return None
