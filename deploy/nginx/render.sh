#!/bin/sh
# Print the nginx site for the portal: the template beside this script with its ${QF_…} values
# filled in. The app servers are the arguments:
#
#   QF_SERVER_NAME=qingfeng.example.cn deploy/nginx/render.sh 10.0.0.11:8000 10.0.0.12:8000 \
#       > /etc/nginx/sites-available/qingfeng.conf
#
# Values (environment, with their defaults):
#   QF_SERVER_NAME   the site's host name (required)
#   QF_VAR_DIR       /srv/qingfeng/var — static/, media/ and private/ below it, unless
#   QF_STATIC_ROOT, QF_MEDIA_ROOT, QF_PRIVATE_ROOT   are given (DJANGO_STATIC_ROOT, …)
#   QF_TLS_CERT      /etc/ssl/qingfeng/fullchain.pem
#   QF_TLS_KEY       /etc/ssl/qingfeng/privkey.pem
#   QF_HTTPS_LISTEN  443        QF_HTTP_LISTEN  80     (an address:port also works)
#   QF_CACHE_DIR     /var/cache/nginx/qingfeng
set -eu
if [ "$#" -lt 1 ] || [ -z "${QF_SERVER_NAME:-}" ]; then
    echo "usage: QF_SERVER_NAME=host $0 app-server:port [app-server:port …]" >&2
    exit 2
fi
QF_APP_SERVERS=""
for server in "$@"; do
    QF_APP_SERVERS="${QF_APP_SERVERS}    server ${server} max_fails=2 fail_timeout=10s;
"
done
QF_VAR_DIR="${QF_VAR_DIR:-/srv/qingfeng/var}"
export QF_APP_SERVERS QF_SERVER_NAME
export QF_STATIC_ROOT="${QF_STATIC_ROOT:-$QF_VAR_DIR/static}"
export QF_MEDIA_ROOT="${QF_MEDIA_ROOT:-$QF_VAR_DIR/media}"
export QF_PRIVATE_ROOT="${QF_PRIVATE_ROOT:-$QF_VAR_DIR/private}"
export QF_TLS_CERT="${QF_TLS_CERT:-/etc/ssl/qingfeng/fullchain.pem}"
export QF_TLS_KEY="${QF_TLS_KEY:-/etc/ssl/qingfeng/privkey.pem}"
export QF_HTTPS_LISTEN="${QF_HTTPS_LISTEN:-443}"
export QF_HTTP_LISTEN="${QF_HTTP_LISTEN:-80}"
export QF_CACHE_DIR="${QF_CACHE_DIR:-/var/cache/nginx/qingfeng}"
# Only these names are replaced: nginx's own $variables stay.
envsubst '${QF_APP_SERVERS} ${QF_SERVER_NAME} ${QF_STATIC_ROOT} ${QF_MEDIA_ROOT} ${QF_PRIVATE_ROOT} ${QF_TLS_CERT} ${QF_TLS_KEY} ${QF_HTTPS_LISTEN} ${QF_HTTP_LISTEN} ${QF_CACHE_DIR}' \
    < "$(dirname "$0")/qingfeng.conf.template"
