from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("accounts.run_trainings", raise_exception=True)
def index(request):
    """Trainings: programmes, cohorts and sessions for coordinators and trainers."""
    return render(request, "trainings/index.html")
