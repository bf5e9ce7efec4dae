from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import Question


class AnswerForm(forms.Form):
    """One field per question: radio buttons for single choice and true or false, check boxes for
    multiple choice. The choices carry their ids and text only, never whether they are correct."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            options = [(str(choice.pk), choice.text) for choice in question.choices.all()]
            label = f"{number}. {question.text}"
            messages = {
                "required": _("Please answer this question."),
                "invalid_choice": _("This answer is not one of the question's choices; please choose again."),
                "invalid_list": _("This answer is not one of the question's choices; please choose again."),
            }
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=messages,
                    help_text=_("Choose every correct answer."),
                )
            else:
                field = forms.ChoiceField(
                    label=label, choices=options, widget=forms.RadioSelect, error_messages=messages
                )
            field.question = question
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question) -> str:
        return f"question_{question.pk}"

    def answers(self) -> dict[int, list[int]]:
        """{question id: [choice ids]} from the cleaned data."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data[self.field_name(question)]
            chosen = value if isinstance(value, list) else [value]
            answers[question.pk] = [int(pk) for pk in chosen]
        return answers
