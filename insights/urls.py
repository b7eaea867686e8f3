from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.insights_dashboard, name="dashboard"),
    path("segments/", views.segment_list, name="segment_list"),
    path("segments/<slug:segment>/", views.segment_detail, name="segment_detail"),
    path("segments/<slug:segment>.csv", views.segment_csv, name="segment_csv"),
    path("<slug:chart>.csv", views.insights_chart_csv, name="chart_csv"),
]
