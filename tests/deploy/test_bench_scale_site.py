"""The scale-out benchmark (benchmarks/bench_scale.py) runs deploy/nginx/binakarya.conf itself, rewritten: every
placeholder it swaps must still be in the site file, and the upstream must get one line per gunicorn. Nothing
here starts a server or is timed; the benchmark is run with `make bench-scale`."""

import sys
from pathlib import Path

from django.conf import settings

sys.path.insert(0, str(Path(settings.BASE_DIR) / "benchmarks"))

import bench_scale  # noqa: E402


def test_the_site_gets_both_instances_in_its_upstream_and_temporary_paths(tmp_path):
    # given two gunicorn instances on ports 8101 and 8102 and nginx on 8443
    text = bench_scale.nginx_site(
        tmp_path, [8101, 8102], 8443, tmp_path / "static", tmp_path / "media", tmp_path / "tls"
    )

    # then the upstream names both, and nothing points at the deployed machine's ports or files
    upstream = text.split("upstream binakarya {", 1)[1].split("}", 1)[0]
    assert "server 127.0.0.1:8101;" in upstream and "server 127.0.0.1:8102;" in upstream
    assert "127.0.0.1:8000" not in text
    assert "listen 127.0.0.1:8443 ssl http2;" in text
    for deployed in ("/etc/letsencrypt/", "/srv/binakarya/", "/etc/nginx/binakarya_proxy.conf", "[::]"):
        assert deployed not in text, deployed
    assert f"alias {tmp_path}/static/;" in text
    assert f"ssl_certificate {tmp_path}/tls/cert.pem;" in text


def test_one_instance_gets_one_upstream_line(tmp_path):
    text = bench_scale.nginx_site(tmp_path, [8101], 8443, tmp_path / "s", tmp_path / "m", tmp_path)

    upstream = text.split("upstream binakarya {", 1)[1].split("}", 1)[0]
    assert upstream.count("server 127.0.0.1:") == 1
