from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("", views.followup_list, name="followup_list"),
    path("bulk/", views.followup_bulk, name="followup_bulk"),
    path("settings/", views.care_settings_edit, name="care_settings"),
    path("templates/", views.followup_template_list, name="template_list"),
    # The slot (kind, occasion, language) is in the query string: a shop-wide text, not a row.
    path("templates/edit/", views.followup_template_edit, name="template_edit"),
    path("slowdowns/", views.slowdown_list, name="slowdown_list"),
    path("slowdowns/<int:pk>/delete/", views.slowdown_delete, name="slowdown_delete"),
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/", views.followup_detail, name="followup_detail"),
    path("<int:pk>/reply/", views.followup_reply, name="followup_reply"),
    path("<int:pk>/<str:action>/", views.followup_action, name="followup_action"),
]
