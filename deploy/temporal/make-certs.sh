#!/bin/sh
# Certificates for the bundled Temporal server over mTLS (docker-compose.tls.yml; README,
# "Temporal over mTLS"): a private CA, the cluster's certificate (the frontend's, and the one its
# services present to each other: temporal, localhost and 127.0.0.1, for serving and as a
# client) and the client certificate the app and the admin tools present. `npm run proof` runs
# this same script at its start. Needs OpenSSL 1.1.1 or later on the host.
#
#   sh deploy/temporal/make-certs.sh certs      # writes certs/ca.pem, server.*, client.*
#
# Existing files are left alone (delete the folder to make new ones). The CA's key stays in
# the folder, for renewals; no container mounts it.
set -eu
dir=${1:?usage: make-certs.sh DIR}
days=${CERT_DAYS:-365}
server_names=${CERT_SERVER_NAMES:-DNS:temporal,DNS:localhost,IP:127.0.0.1}

mkdir -p "$dir"
cd "$dir"
if [ -e ca.pem ]; then
  echo "make-certs: $dir/ca.pem exists: nothing made"
  exit 0
fi
umask 077
p256='-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes'

# shellcheck disable=SC2086
openssl req -x509 $p256 -keyout ca.key -out ca.pem -days "$days" \
  -subj '/CN=Gatehouse Temporal CA' \
  -addext 'basicConstraints=critical,CA:TRUE,pathlen:0' \
  -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null

# leaf NAME COMMON_NAME EXTENSIONS: a key and a certificate the CA signs.
leaf() {
  # shellcheck disable=SC2086
  openssl req $p256 -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -days "$days" \
    -set_serial "0x$(openssl rand -hex 16)" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
leaf server temporal "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$server_names"
leaf client gatehouse "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
chmod 644 ca.pem server.pem client.pem
echo "make-certs: CA, server ($server_names) and client certificates in $dir (valid $days days)"
