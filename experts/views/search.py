from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("accounts.search_experts", raise_exception=True)
def index(request):
    """The expert bank's landing page for coordinators."""
    return render(request, "experts/index.html")
