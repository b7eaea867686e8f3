from django.urls import path

from stock import views, views_care, views_chat

app_name = "stock"

urlpatterns = [
    path("", views.answer, name="answer"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("waitlist/join/", views.waitlist_join, name="waitlist_join"),
    path("buyers/<int:pk>/waitlist/", views.buyer_waitlist, name="buyer_waitlist"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("cancellations/", views_care.cancellation_list, name="cancellation_list"),
    path("cancellations/rules/", views_care.penalty_rules, name="penalty_rules"),
    path("orders/<int:pk>/playbook/", views_care.playbook, name="playbook"),
    path("chat/", views_chat.chat_page, name="chat"),
    path("chat/import/", views_chat.chat_import, name="chat_import"),
    path("chat/<int:pk>/respond/", views_chat.chat_respond, name="chat_respond"),
    path("tokens/", views_chat.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views_chat.token_revoke, name="token_revoke"),
    path("api/chat-questions/", views_chat.api_chat_questions, name="api_chat_questions"),
]
