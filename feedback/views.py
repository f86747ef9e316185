from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("accounts.view_feedback_results", raise_exception=True)
def index(request):
    """Session feedback: forms and results for coordinators and trainers."""
    return render(request, "feedback/index.html")
