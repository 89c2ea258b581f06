"""PyTorch eager side of the trainer's speed benchmark (TrainingSpeedBenchmark).

The same Llama model as the trainer, written as Hugging Face's modeling_llama runs it in eager
mode (attention mask built per forward, rotary tables per forward, repeat_kv, softmax in fp32)
with PEFT-style LoRA layers (y = base(x) + scaling * B(A(dropout(x)))), fp32 throughout,
trained with torch.optim.AdamW and clip_grad_norm_(1.0) on the very weights and tokens the
Java side uses.

usage: bench_speed.py WORK_DIR [TRACE_FILE]
  reads  WORK_DIR/model/ (config.json, model.safetensors), WORK_DIR/tokens.safetensors
         (input_ids [examples, length]) and WORK_DIR/settings.json
  prints one JSON line: step_seconds (timed steps), first_loss, vmhwm_bytes, torch, blas, threads
  writes TRACE_FILE, when given: a Chrome trace of the timed steps (bench_profile.py sums it up)
"""

import json
import math
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import read_safetensors  # noqa: E402


class LoraLinear(nn.Module):
    def __init__(self, weight, r, alpha, dropout, adapted):
        super().__init__()
        out_features, in_features = weight.shape
        self.base_layer = nn.Linear(in_features, out_features, bias=False)
        self.base_layer.weight = nn.Parameter(weight, requires_grad=False)
        self.adapted = adapted
        if adapted:
            self.lora_A = nn.Linear(in_features, r, bias=False)
            self.lora_B = nn.Linear(r, out_features, bias=False)
            nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
            nn.init.zeros_(self.lora_B.weight)
            self.lora_dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
            self.scaling = alpha / r

    def forward(self, x):
        result = self.base_layer(x)
        if self.adapted:
            result = result + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling
        return result


class RMSNorm(nn.Module):
    def __init__(self, weight, eps):
        super().__init__()
        self.weight = nn.Parameter(weight, requires_grad=False)
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def rotate_half(x):
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


def repeat_kv(x, groups):
    if groups == 1:
        return x
    batch, heads, length, dim = x.shape
    return x[:, :, None, :, :].expand(batch, heads, groups, length, dim).reshape(batch, heads * groups, length, dim)


class Layer(nn.Module):
    def __init__(self, config, weights, index, lora):
        super().__init__()
        prefix = f"model.layers.{index}."

        def proj(module, name):
            return LoraLinear(weights[prefix + module + name + ".weight"], lora["r"], lora["alpha"], lora["dropout"],
                              name in lora["targets"])

        self.q_proj = proj("self_attn.", "q_proj")
        self.k_proj = proj("self_attn.", "k_proj")
        self.v_proj = proj("self_attn.", "v_proj")
        self.o_proj = proj("self_attn.", "o_proj")
        self.gate_proj = proj("mlp.", "gate_proj")
        self.up_proj = proj("mlp.", "up_proj")
        self.down_proj = proj("mlp.", "down_proj")
        eps = config["rms_norm_eps"]
        self.input_layernorm = RMSNorm(weights[prefix + "input_layernorm.weight"], eps)
        self.post_attention_layernorm = RMSNorm(weights[prefix + "post_attention_layernorm.weight"], eps)
        self.heads = config["num_attention_heads"]
        self.kv_heads = config["num_key_value_heads"]
        self.head_dim = config["head_dim"]

    def forward(self, hidden, cos, sin, mask):
        batch, length, _ = hidden.shape
        x = self.input_layernorm(hidden)
        q = self.q_proj(x).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        groups = self.heads // self.kv_heads
        k = repeat_kv(k, groups)
        v = repeat_kv(v, groups)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim) + mask
        probabilities = nn.functional.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        attended = torch.matmul(probabilities, v).transpose(1, 2).reshape(batch, length, -1)
        hidden = hidden + self.o_proj(attended)
        x = self.post_attention_layernorm(hidden)
        return hidden + self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class Model(nn.Module):
    def __init__(self, config, weights, lora):
        super().__init__()
        self.embed_tokens = nn.Embedding.from_pretrained(weights["model.embed_tokens.weight"], freeze=True)
        self.layers = nn.ModuleList(Layer(config, weights, i, lora) for i in range(config["num_hidden_layers"]))
        self.norm = RMSNorm(weights["model.norm.weight"], config["rms_norm_eps"])
        self.lm_head = nn.Linear(config["hidden_size"], config["vocab_size"], bias=False)
        self.lm_head.weight = nn.Parameter(weights["lm_head.weight"], requires_grad=False)
        dim = config["head_dim"]
        exponents = torch.arange(0, dim, 2, dtype=torch.int64).float() / dim
        self.register_buffer("inv_freq", 1.0 / (config.get("rope_theta", 10000.0) ** exponents), persistent=False)

    def forward(self, ids, attention_mask, labels):
        batch, length = ids.shape
        hidden = self.embed_tokens(ids)
        # As modeling_llama does per forward: rotary tables from positions, a 4-d additive mask.
        positions = torch.arange(length).float()
        freqs = positions[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        minimum = torch.finfo(hidden.dtype).min
        mask = torch.full((length, length), minimum).triu(1)[None, None].expand(batch, 1, length, length).clone()
        mask = mask.masked_fill(attention_mask[:, None, None, :] == 0, minimum)
        for layer in self.layers:
            hidden = layer(hidden, cos, sin, mask)
        logits = self.lm_head(self.norm(hidden)).float()
        return nn.functional.cross_entropy(
            logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)


def vmhwm_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def blas_library():
    """The BLAS library this process mapped: Debian's torch calls whatever libblas.so.3 resolves to."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "blas" in line.split()[-1]}
    for path in sorted(paths):
        real = os.path.realpath(path)
        if "openblas" in real:
            return "OpenBLAS (" + os.path.basename(os.path.dirname(real)) + ")"
        if "/blas/" in real:
            return "reference BLAS (slow)"
    return ", ".join(sorted(paths)) or "unknown"


def main(work, trace):
    with open(os.path.join(work, "settings.json")) as f:
        settings = json.load(f)
    torch.set_num_threads(settings["threads"])
    torch.set_num_interop_threads(1)
    torch.manual_seed(settings["seed"])
    with open(os.path.join(work, "model", "config.json")) as f:
        config = json.load(f)
    weights = {name: t.float() for name, t in read_safetensors(os.path.join(work, "model", "model.safetensors")).items()}
    tokens = read_safetensors(os.path.join(work, "tokens.safetensors"))["input_ids"].long()
    full = settings.get("method") == "full"
    # Full fine-tuning: no LoRA layer, every weight (embedding, norms, projections, lm_head) trains.
    model = Model(config, weights, dict(settings, targets=[]) if full else settings)
    if full:
        for parameter in model.parameters():
            parameter.requires_grad_(True)
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=settings["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    batch = settings["batch"]
    mask = torch.ones(batch, tokens.shape[1], dtype=torch.long)

    model.eval()
    with torch.no_grad():
        first_loss = model(tokens[:batch], mask, tokens[:batch]).item()
    model.train()

    times = []
    profiler = None
    for step in range(settings["warmup"] + settings["steps"]):
        if trace and step == settings["warmup"]:
            profiler = torch.autograd.profiler.profile(record_shapes=True)
            profiler.__enter__()
        ids = tokens[step * batch:(step + 1) * batch]
        started = time.perf_counter()
        loss = model(ids, mask, ids)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()
        elapsed = time.perf_counter() - started
        if step >= settings["warmup"]:
            times.append(elapsed)
    if profiler is not None:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(trace)
        print("pytorch: profile of the timed steps written to " + trace, file=sys.stderr)
    print("pytorch: %d steps timed, %s ms" % (len(times), [round(t * 1000) for t in times]), file=sys.stderr)
    print(json.dumps({"step_seconds": times, "first_loss": first_loss, "vmhwm_bytes": vmhwm_bytes(),
                      "torch": torch.__version__, "blas": blas_library(), "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None)
