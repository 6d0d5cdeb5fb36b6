from django.urls import path

from binakarya.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("sandi/atur/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("sandi/atur/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("sandi/ganti/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/ganti/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
