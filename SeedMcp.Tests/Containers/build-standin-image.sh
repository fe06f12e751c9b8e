#!/usr/bin/env bash
# Builds a stand-in for a public image that cannot be pulled here: FROM scratch, holding Debian's binary, the libraries
# ldd lists for it, and busybox (package busybox-static) as /bin/sh. Laid out like the public image, so the AppHost
# runs it with the same entrypoint and arguments.
#   build-standin-image.sh redis      <image:tag>   # like docker.io/library/redis: redis-server on PATH, /data, root
#   build-standin-image.sh prometheus <image:tag>   # like docker.io/prom/prometheus: entrypoint /bin/prometheus, user nobody
#   build-standin-image.sh glibc-base <image:tag>   # like mcr.microsoft.com/azurelinux/base/core, the base Aspire's DCP
#                                                   # builds its container-network tunnel image on (a glibc binary)
set -euo pipefail
kind=$1
image=$2
runtime=${CONTAINER_RUNTIME:-docker}

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs="$context/rootfs"

# copy <file> [<path in the image>]: the file's content (symlinks followed) and, for an executable, its libraries.
copy() {
  local source=$1 target=${2:-$1}
  mkdir -p "$rootfs$(dirname "$target")"
  cp -L "$source" "$rootfs$target"
}
copy_binary() {
  copy "$1" "$2"
  local library
  for library in $(ldd "$1" | grep -o '/[^ ]*' || true); do
    copy "$library"
  done
}

copy /bin/busybox
ln -s busybox "$rootfs/bin/sh"
mkdir -p "$rootfs/tmp" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

case "$kind" in
  redis)
    copy_binary "$(command -v redis-server)" /usr/local/bin/redis-server
    mkdir -p "$rootfs/data"
    cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin
WORKDIR /data
EXPOSE 6379
CMD ["redis-server"]
DOCKERFILE
    ;;
  prometheus)
    copy_binary "$(command -v prometheus)" /bin/prometheus
    mkdir -p "$context/owned/prometheus" "$context/owned/etc/prometheus"
    cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
COPY --chown=65534:65534 owned/ /
ENV PATH=/bin
USER 65534:65534
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
DOCKERFILE
    ;;
  glibc-base)
    # The tunnel (Microsoft's Go build) loads OpenSSL's libcrypto at startup, by its unversioned name too.
    for library in /lib64/ld-linux-x86-64.so.2 \
      /lib/x86_64-linux-gnu/{libc.so.6,libdl.so.2,libpthread.so.0,libm.so.6,libresolv.so.2,libcrypto.so.3,libssl.so.3,libz.so.1,libzstd.so.1}; do
      copy "$library"
    done
    ln -s libcrypto.so.3 "$rootfs/lib/x86_64-linux-gnu/libcrypto.so"
    ln -s libssl.so.3 "$rootfs/lib/x86_64-linux-gnu/libssl.so"
    mkdir -p "$rootfs/usr/local/bin"
    cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin
CMD ["/bin/sh"]
DOCKERFILE
    ;;
  *)
    echo "unknown stand-in '$kind' (redis, prometheus, glibc-base)" >&2
    exit 2
    ;;
esac

if ! output=$("$runtime" build --quiet --tag "$image" "$context" 2>&1); then
  echo "$output" >&2
  exit 1
fi
echo "built $image ($kind stand-in)"
