from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("accounts.run_hearings", raise_exception=True)
def index(request):
    """The resident hearings' landing page for coordinators."""
    return render(request, "hearings/index.html")
