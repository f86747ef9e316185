from django.urls import path

from .views import staff

app_name = "hearings"
# Staff pages live under hallinta/ ("administration"), before the public campaign pages' <slug>/
# (a campaign's slug cannot be "hallinta": forms refuse it).
urlpatterns = [
    # Staff: the landing page, topics, campaigns, questions, offline input (views/staff.py)
    path("hallinta/", staff.index, name="index"),
    # Staff: analysis, themes, exports, report (views/analysis.py)
    # Staff: the outcome, findings and decisions (views/outcome.py)
    # Staff: client panels (views/panels.py)
    # Public: the list of campaigns, a campaign's page and its online form (views/public.py)
]
