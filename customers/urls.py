from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("", views.buyer_list, name="buyer_list"),
    path("<int:pk>/", views.buyer_detail, name="buyer_detail"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
]
