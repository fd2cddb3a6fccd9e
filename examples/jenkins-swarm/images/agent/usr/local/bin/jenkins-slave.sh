#!/bin/sh
# The "swarm agent", called as the seed's replication controller calls Jenkins' swarm client:
#   jenkins-slave.sh -master http://HOST:PORT -tunnel HOST:PORT [-username U -password P -executors N]
# Every 3 seconds it registers with the master and touches the master's agent port (the
# tunnel). The seed passes the addresses from the service environment variables.
master=
tunnel=
while [ $# -gt 0 ]; do
    case "$1" in
        -master) master=${2#http://}; shift 2 ;;
        -tunnel) tunnel=$2; shift 2 ;;
        *) shift ;;
    esac
done
[ -n "$master" ] && [ "$master" != ":" ] || { echo "no -master (is the jenkins service there?)" >&2; exit 1; }
name=$(hostname)
echo "agent $name: master http://$master, tunnel $tunnel"
while true; do
    if printf 'GET /cgi-bin/register?name=%s HTTP/1.0\r\n\r\n' "$name" \
        | nc -w 3 "${master%:*}" "${master#*:}" | grep -q "agent $name connected"; then
        echo "registered with http://$master"
    else
        echo "could not register with http://$master"
    fi
    if [ -n "$tunnel" ] && echo | nc -w 3 "${tunnel%:*}" "${tunnel#*:}" | grep -q "tunnel ok"; then
        echo "tunnel $tunnel ok"
    fi
    sleep 3
done
