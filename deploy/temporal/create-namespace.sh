#!/bin/sh
# The temporal-namespace job (temporalio/admin-tools): waits until the Temporal frontend is
# healthy, then registers the app's namespace with its retention (or leaves an existing one
# alone). `npm run proof` runs this same script with the same variables.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}"
namespace=${NAMESPACE:-default}
attempts=${ATTEMPTS:-60}

# The Temporal CLI reads the TLS settings from Temporal's standard variables (TEMPORAL_TLS,
# TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_CLIENT_CERT_PATH, …: docker-compose.tls.yml).
attempt=1
until answer=$(temporal operator cluster health --address "$TEMPORAL_ADDRESS" 2>&1); do
  if [ "$attempt" -ge "$attempts" ]; then
    # The last answer says why: not up yet, or a certificate the other side refused.
    echo "create-namespace: Temporal at $TEMPORAL_ADDRESS is not healthy after $attempts tries: $answer" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$namespace" >/dev/null 2>&1; then
  echo "create-namespace: namespace $namespace exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$namespace" \
    --retention "${RETENTION:-720h}"
  echo "create-namespace: created namespace $namespace (retention ${RETENTION:-720h})"
fi
