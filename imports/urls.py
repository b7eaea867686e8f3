from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("<int:pk>/commit/", views.run_commit, name="run_commit"),
    path("<int:pk>/file/", views.run_file, name="run_file"),
    path("backups/", views.backup_list, name="backup_list"),
    path("backups/new/", views.backup_download, name="backup_download"),
    path("backups/<str:name>", views.backup_file, name="backup_file"),
]
