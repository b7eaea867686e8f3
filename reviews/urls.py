from django.urls import path

from reviews import views, views_reply

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="review_list"),
    # The review page is the reply composer (it replaced views.review_detail).
    path("<int:pk>/", views_reply.review_compose, name="review_detail"),
    # Replies: inbox, composer with the live tone check, the shop's templates (views_reply).
    path("inbox/", views_reply.review_inbox_view, name="review_inbox"),
    path("<int:pk>/reply/", views_reply.review_compose, name="review_compose"),
    path("<int:pk>/reply/send/", views_reply.review_reply_send, name="review_reply_send"),
    path("<int:pk>/reply/draft/", views_reply.review_reply_draft, name="review_reply_draft"),
    path("<int:pk>/reply/cancel/", views_reply.review_reply_cancel, name="review_reply_cancel"),
    path("tone-check/", views_reply.tone_check, name="tone_check"),
    path("templates/", views_reply.reply_template_list, name="reply_template_list"),
    path("templates/<int:pk>/", views_reply.reply_template_edit, name="reply_template_edit"),
]
