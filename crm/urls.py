from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crm import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("shop/switch/", views.shop_switch, name="shop_switch"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Changing the password keeps this session and ends every other one (issue 8).
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("buyers/", include("customers.urls")),
    path("reviews/", include("reviews.urls")),
    path("imports/", include("imports.urls")),
    path("followups/", include("followups.urls")),
    path("stock/", include("stock.urls")),
    path("insights/", include("insights.urls")),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 with a bilingual "try again" page instead of a bare 500.
handler500 = "crm.views.server_error"
