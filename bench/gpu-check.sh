#!/usr/bin/env bash
# GPU check for the engine: the same training bench (the four minis: ViT, ResNet, hybrid, Swin)
# on an NVIDIA GPU through tfjs's WebGPU backend (the `webgpu` npm package, Dawn on Vulkan), plus
# PyTorch/CUDA on the same minis for scale. Only for a session that was lent a device machine;
# the GPU is never a CI dependency. The engine's wasm kernels (scripts/lib/engine/wasm/) do not run
# there: on webgpu, scripts/lib/engine/ops.ts falls back to plain tfjs ops and the bench skips the
# SIMD128 GEMM measurement, so the GPU figures need no engine-specific step.
#
# Three steps (the device machine has no node, no npm and no network):
#   1. here:        bash bench/gpu-check.sh prepare
#        bundles bench/train-speed.ts with esbuild into .gpu/, packs node 24 (xz) and dawn.node,
#        downloads the Vulkan/EGL loader .debs into .gl/ (recipe from the device README).
#        .gpu/ and .gl/ are excluded from git via .git/info/exclude.
#   2. device tool: run(command="bash bench/gpu-check.sh run", carry=[".gpu", ".gl"], timeout_s=420)
#        unpacks the loaders and node, runs the bench with ATLAS_BACKEND=webgpu, and the torch
#        baseline on CUDA; writes $OUT/train-speed-gpu.json and $OUT/torch-cuda.jsonl.
#   3. here:        bash bench/gpu-check.sh merge <files_at folder of step 2>
#        appends the GPU numbers as "gpu" to bench/results/train-speed.json (atomic).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"

case "$mode" in
prepare)
  grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
  grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo '/.gl/' >> .git/info/exclude
  rm -rf .gpu && mkdir -p .gpu/node_modules/webgpu/dist/linux-x64
  # One self-contained ESM file; the native Dawn addon stays external (it is a .node file).
  npm exec -- esbuild bench/train-speed.ts --bundle --platform=node --format=esm --target=node22 \
    --external:webgpu --external:@tensorflow/tfjs-node-gpu \
    --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);" \
    --outfile=.gpu/train-speed.mjs --log-level=warning
  # tfjs-backend-wasm looks for its .wasm files next to the bundle (not needed for webgpu, but
  # the bench falls back to them if the GPU adapter is missing, which then shows in the JSON).
  cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm .gpu/ 2>/dev/null || true
  cp node_modules/webgpu/index.js node_modules/webgpu/package.json .gpu/node_modules/webgpu/
  xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > .gpu/dawn.node.xz
  xz -T2 -6 -c node_modules/node/bin/node > .gpu/node.xz
  mkdir -p .gpu/bench .gpu/scripts/models && cp bench/torch_baseline.py .gpu/bench/
  if [ ! -d .gl ] || ! ls .gl/*.deb >/dev/null 2>&1; then
    mkdir -p .gl /tmp/amd64/partial
    o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    apt-get $o update -qq
    (cd .gl && apt-get $o download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  fi
  du -sh .gpu .gl
  echo "prepared: now run on the device: bash bench/gpu-check.sh run   (carry .gpu and .gl)"
  ;;

run)
  : "${OUT:?run this on the device machine (OUT is set there)}"
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
  if [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  fi
  xz -dc .gpu/node.xz > /tmp/node && chmod +x /tmp/node
  xz -dc .gpu/dawn.node.xz > .gpu/node_modules/webgpu/dist/linux-x64/dawn.node
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/gpu.txt" || true
  cd .gpu
  # Steps stay short: the whole call must fit the device budget with room for a rerun.
  ATLAS_BACKEND=webgpu timeout 300 /tmp/node train-speed.mjs --no-torch --steps 20 --warmup 3 --out "$OUT/train-speed-gpu.json" 2>&1 | tee "$OUT/tfjs-webgpu.log"
  cd ..
  PYTHONUNBUFFERED=1 timeout 120 python3 .gpu/bench/torch_baseline.py --device cuda --steps 20 --warmup 3 > "$OUT/torch-cuda.jsonl" || echo "torch cuda baseline failed" >&2
  cat "$OUT/torch-cuda.jsonl" || true
  ;;

merge)
  dir="${2:?usage: bash bench/gpu-check.sh merge <folder with train-speed-gpu.json>}"
  npm exec -- tsx -e "
    import { readFileSync, existsSync } from 'node:fs';
    import { writeJsonAtomic } from './scripts/lib/experiments/atomic.ts';
    const res = 'bench/results/train-speed.json';
    const cpu = existsSync(res) ? JSON.parse(readFileSync(res, 'utf8')) : {};
    const g = JSON.parse(readFileSync('$dir/train-speed-gpu.json', 'utf8'));
    const torch = existsSync('$dir/torch-cuda.jsonl') ? readFileSync('$dir/torch-cuda.jsonl', 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const gpuName = existsSync('$dir/gpu.txt') ? readFileSync('$dir/gpu.txt', 'utf8').trim() : 'unknown GPU';
    cpu.gpu = { date: g.date, gpu: gpuName, backend: g.backend, tfjs: g.tfjs, torchCuda: torch, profile: g.profile,
      ratios: Object.fromEntries(g.tfjs.map((r) => [r.model, (torch.find((t) => t.model === r.model)?.imgPerSec ?? NaN) ? +(r.imgPerSec / torch.find((t) => t.model === r.model).imgPerSec).toFixed(3) : null])) };
    writeJsonAtomic(res, cpu);
    for (const r of g.tfjs) console.log('GPU', g.backend.device, r.model, r.imgPerSec.toFixed(1), 'img/s');
  "
  ;;

*)
  sed -n '2,20p' "$0"
  exit 2
  ;;
esac
