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

    def study_actions(self, request, item):
        """The quizzes on a bulletin the cadre is reading: a link once it has opened for them,
        a note that it opens after confirming the study before."""
        from django.urls import reverse

        from quizzes.selectors import QuizStatus, cadre_quizzes_on

        actions = []
        for quiz in cadre_quizzes_on(request.user, publication=item):
            if quiz.status == QuizStatus.LOCKED:
                label = _("Quiz “%(title)s” opens once you confirm studying this item.") % {"title": quiz.title}
                actions.append({"label": label, "url": "", "status": ""})
            else:
                label = _("Take the quiz “%(title)s”") % {"title": quiz.title}
                url = reverse("quizzes:quiz-detail", args=[quiz.pk])
                actions.append({"label": label, "url": url, "status": quiz.status_label})
        return actions
