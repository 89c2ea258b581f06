"""Independent PyTorch reference for the Java trainer's forward pass, loss and LoRA gradients.

Written from the architecture definitions of Hugging Face's LlamaForCausalLM,
MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM and Gemma3ForCausalLM (RMSNorm,
rotate_half rotary embeddings with optional Llama 3.1 or linear frequency scaling, grouped-query
attention with causal, padding and sliding-window masks, SwiGLU, q/k/v biases for Qwen2, q/k
norms for Qwen3 and Gemma 3; for Gemma 3 also embeddings times sqrt(hidden_size) in the
checkpoint's dtype, RMSNorm as x * (1 + weight), norms after attention and around the MLP,
GeGLU with tanh-approximated gelu, query_pre_attn_scalar, alternating local layers with their
own rotary base, soft-capping; tied embeddings) and of PEFT's LoRA
(y = W x + b + alpha/r * B A x, or alpha/sqrt(r) with use_rslora; dropout off). Packed rows
(several examples per row) come with position_ids that restart at 0 for each example; a token
then attends only to earlier tokens of its own example (a block-diagonal causal 4D mask). It needs only torch: safetensors files are
parsed here with json and struct. Everything is computed in float64, so the differences the
Java test reports are the Java side's float32 error.

usage: reference_model.py CASE_DIR
  reads  CASE_DIR/model/ (a Hugging Face directory), CASE_DIR/inputs.safetensors
         (input_ids, attention_mask, labels and optionally position_ids as [batch, length];
         LoRA matrices by PEFT name without the base_model.model. prefix) and
         CASE_DIR/lora.json ({"r", "alpha", optionally "use_rslora"})
  writes CASE_DIR/reference.safetensors: logits, loss and grad/<LoRA name> for each matrix

Full fine-tuning: when CASE_DIR/full.json exists ({"lr", "weight_decay", "max_grad_norm",
"no_decay": [names]}) there is no LoRA (lora.json is not read) and every weight of the model
takes gradients; the output has grad/<weight name> for each (a tied lm_head is the embedding),
then one torch.optim.AdamW step (parameter groups: no_decay names get weight_decay 0; gradients
clipped by torch.nn.utils.clip_grad_norm_ first) from these gradients gives updated/<name>, and
another from the Java side's own gradients (inputs javagrad/<name>) gives
updated_from_java/<name>, which isolates the optimiser from the float32 error of the gradients.

DPO: when CASE_DIR/dpo.json exists ({"beta", "sft_weight"}) the batch's first half holds chosen
answers and its second half the rejected ones (labels only on each answer). The loss is TRL's
sigmoid DPO loss, mean over pairs of -logsigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))), where
pi is the summed log-probability of the labelled tokens with LoRA and ref the same without it
(under no_grad), plus sft_weight times the mean over pairs of the chosen answer's per-token NLL;
the output has loss, grad/<LoRA name> and rewards_chosen / rewards_rejected (beta * (pi - ref)).
"""

import json
import math
import os
import struct
import sys

import torch

IGNORE = -100


def read_safetensors(path):
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(data[begin:end])
        dtype = info["dtype"]
        if dtype == "F32":
            values = torch.frombuffer(raw, dtype=torch.float32)
        elif dtype == "F16":
            values = torch.frombuffer(raw, dtype=torch.float16).float()
        elif dtype == "BF16":
            # bfloat16 is the upper half of a float32's bits.
            bits = torch.frombuffer(raw, dtype=torch.int16).to(torch.int32) & 0xFFFF
            values = (bits << 16).view(torch.float32)
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {dtype}")
        tensors[name] = values.reshape(info["shape"]).to(torch.float64)
    return tensors


def write_safetensors(path, tensors):
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        tensor = tensors[name].detach().to(torch.float32).contiguous()
        raw = struct.pack(f"<{tensor.numel()}f", *tensor.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def read_weights(model_dir):
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
        shards = sorted(set(json.load(f)["weight_map"].values()))
    weights = {}
    for shard in shards:
        weights.update(read_safetensors(os.path.join(model_dir, shard)))
    return weights


ARCHITECTURES = ("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM", "Gemma3ForCausalLM")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


class Config:
    def __init__(self, raw):
        self.architecture = raw["architectures"][0]
        if self.architecture not in ARCHITECTURES:
            raise ValueError(f"no reference for {self.architecture}")
        gemma = self.architecture == "Gemma3ForCausalLM"
        self.gemma = gemma
        self.hidden = raw["hidden_size"]
        self.layers = raw["num_hidden_layers"]
        self.heads = raw["num_attention_heads"]
        self.kv_heads = raw.get("num_key_value_heads") or self.heads
        self.head_dim = raw.get("head_dim") or self.hidden // self.heads
        self.eps = raw["rms_norm_eps"]
        parameters = raw.get("rope_parameters") or {}
        rope = parameters.get("full_attention", parameters) if parameters else (raw.get("rope_scaling") or {})
        self.theta = raw.get("rope_theta", rope.get("rope_theta", 10000.0))
        self.rope = rope if rope.get("rope_type", rope.get("type")) in ("llama3", "linear") else None
        self.local_theta = None
        if gemma:
            self.local_theta = raw.get("rope_local_base_freq", parameters.get("sliding_attention", {}).get("rope_theta", 10000.0))
        self.tied = raw.get("tie_word_embeddings", gemma)
        self.qkv_bias = self.architecture == "Qwen2ForCausalLM"
        self.qk_norm = self.architecture in ("Qwen3ForCausalLM", "Gemma3ForCausalLM")
        # HF multiplies by sqrt(hidden_size) cast to the weights' dtype
        dtype = DTYPES[raw.get("torch_dtype", raw.get("dtype", "float32"))]
        self.embed_scale = torch.tensor(self.hidden ** 0.5, dtype=dtype).item() if gemma else 1.0
        self.query_scale = (raw.get("query_pre_attn_scalar", 256) if gemma else self.head_dim) ** -0.5
        self.attn_softcap = raw.get("attn_logit_softcapping") if gemma else None
        self.final_softcap = raw.get("final_logit_softcapping") if gemma else None
        window = raw.get("sliding_window")
        applies = gemma or self.architecture == "MistralForCausalLM" or (
            self.architecture in ("Qwen2ForCausalLM", "Qwen3ForCausalLM") and raw.get("use_sliding_window", False))
        self.window = window if applies else None
        if self.window is None:
            self.layer_types = ["full_attention"] * self.layers
        elif "layer_types" in raw:
            self.layer_types = raw["layer_types"]
        elif gemma:
            pattern = raw.get("sliding_window_pattern", raw.get("_sliding_window_pattern", 6))
            self.layer_types = ["full_attention" if (i + 1) % pattern == 0 else "sliding_attention" for i in range(self.layers)]
        elif self.architecture == "MistralForCausalLM":
            self.layer_types = ["sliding_attention"] * self.layers
        else:
            self.layer_types = [
                "sliding_attention" if i >= raw.get("max_window_layers", 28) else "full_attention" for i in range(self.layers)]


def inverse_frequencies(config, layer=None):
    if layer is not None and config.local_theta is not None and config.layer_types[layer] == "sliding_attention":
        exponents = torch.arange(0, config.head_dim, 2, dtype=torch.float64) / config.head_dim
        return 1.0 / (config.local_theta ** exponents)
    exponents = torch.arange(0, config.head_dim, 2, dtype=torch.float64) / config.head_dim
    inv = 1.0 / (config.theta ** exponents)
    if config.rope is None:
        return inv
    factor = config.rope["factor"]
    if config.rope.get("rope_type", config.rope.get("type")) == "linear":
        return inv / factor
    low = config.rope["low_freq_factor"]
    high = config.rope["high_freq_factor"]
    context = config.rope["original_max_position_embeddings"]
    wavelength = 2 * math.pi / inv
    scaled = []
    for frequency, length in zip(inv.tolist(), wavelength.tolist()):
        if length < context / high:  # short wavelengths: unchanged
            scaled.append(frequency)
        elif length > context / low:  # beyond the original context: stretched by factor
            scaled.append(frequency / factor)
        else:  # in between: a linear blend of both in context / wavelength
            blend = (context / length - low) / (high - low)
            scaled.append((1 - blend) * frequency / factor + blend * frequency)
    return torch.tensor(scaled, dtype=torch.float64)


def rms_norm(x, weight, eps, gemma=False):
    normalised = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return normalised * (1.0 + weight) if gemma else normalised * weight


def softcap(x, cap):
    return x if cap is None else torch.tanh(x / cap) * cap


def lora_linear(weights, lora, scaling):
    """PEFT's LoRA on a linear layer: x W^T + b + scaling * (x A^T) B^T where A and B exist."""
    def linear(x, prefix):
        y = x @ weights[prefix + ".weight"].T
        if prefix + ".bias" in weights:
            y = y + weights[prefix + ".bias"]
        a = lora.get(prefix + ".lora_A.weight")
        if a is not None:
            y = y + scaling * ((x @ a.T) @ lora[prefix + ".lora_B.weight"].T)
        return y
    return linear


def forward(config, weights, linear, ids, attention_mask, position_ids):
    """Logits [batch, length, vocab] of the model, linear(x, prefix) computing each projection."""
    batch, length = ids.shape

    def rotary(layer):
        frequencies = inverse_frequencies(config, layer)
        if position_ids is None:
            angles = torch.arange(length, dtype=torch.float64)[:, None] * frequencies[None, :]
        else:
            # [batch, 1, length, head_dim / 2]: each row at its own positions
            angles = (position_ids.to(torch.float64)[:, :, None] * frequencies[None, None, :])[:, None]
        return torch.cat((angles, angles), dim=-1).cos(), torch.cat((angles, angles), dim=-1).sin()

    causal = torch.tril(torch.ones(length, length, dtype=torch.bool))
    visible = causal[None, None, :, :] & attention_mask.bool()[:, None, None, :]
    if position_ids is not None:
        # a position 0 starts the next example of a packed row
        example = torch.cumsum((position_ids == 0).long(), dim=1)
        visible = visible & (example[:, None, :, None] == example[:, None, None, :])
    index = torch.arange(length)
    # a sliding layer's query sees itself and the window - 1 keys before it
    in_window = (index[:, None] - index[None, :]) < (config.window or 0)
    groups = config.heads // config.kv_heads

    def norm(x, name):
        return rms_norm(x, weights[name], config.eps, config.gemma)

    hidden = weights["model.embed_tokens.weight"][ids] * config.embed_scale
    for layer in range(config.layers):
        prefix = f"model.layers.{layer}."
        cos, sin = rotary(layer)
        sliding = config.layer_types[layer] == "sliding_attention"
        layer_visible = visible & in_window[None, None] if sliding else visible
        x = norm(hidden, prefix + "input_layernorm.weight")
        q = linear(x, prefix + "self_attn.q_proj").view(batch, length, config.heads, config.head_dim)
        k = linear(x, prefix + "self_attn.k_proj").view(batch, length, config.kv_heads, config.head_dim)
        v = linear(x, prefix + "self_attn.v_proj").view(batch, length, config.kv_heads, config.head_dim)
        if config.qk_norm:
            q = norm(q, prefix + "self_attn.q_norm.weight")
            k = norm(k, prefix + "self_attn.k_norm.weight")
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # key/value head h serves query heads h * groups ... (h + 1) * groups - 1
        k = k.repeat_interleave(groups, dim=1)
        v = v.repeat_interleave(groups, dim=1)
        scores = softcap((q @ k.transpose(-1, -2)) * config.query_scale, config.attn_softcap)
        # The dtype's minimum, as Hugging Face's eager attention masks: a padding query whose
        # window holds only padding then attends uniformly instead of yielding NaN.
        scores = scores.masked_fill(~layer_visible, torch.finfo(scores.dtype).min)
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, config.heads * config.head_dim)
        out = linear(attended, prefix + "self_attn.o_proj")
        if config.gemma:
            out = norm(out, prefix + "post_attention_layernorm.weight")
        hidden = hidden + out
        x = norm(hidden, prefix + ("pre_feedforward_layernorm.weight" if config.gemma else "post_attention_layernorm.weight"))
        gate = linear(x, prefix + "mlp.gate_proj")
        if config.gemma:
            activated = torch.nn.functional.gelu(gate, approximate="tanh")
        else:
            activated = torch.nn.functional.silu(gate)
        out = linear(activated * linear(x, prefix + "mlp.up_proj"), prefix + "mlp.down_proj")
        if config.gemma:
            out = norm(out, prefix + "post_feedforward_layernorm.weight")
        hidden = hidden + out
    hidden = norm(hidden, "model.norm.weight")
    head = weights["model.embed_tokens.weight"] if config.tied else weights["lm_head.weight"]
    return softcap(hidden @ head.T, config.final_softcap)


def rotate_half(x):
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


def adamw_step(weights, gradients, full_settings):
    """One torch.optim.AdamW step on copies of the weights, with the given gradients."""
    params = {name: tensor.detach().clone().requires_grad_(True) for name, tensor in weights.items()}
    for name, param in params.items():
        param.grad = gradients[name].detach().clone()
    no_decay = set(full_settings["no_decay"])
    groups = [
        {"params": [p for n, p in params.items() if n not in no_decay], "weight_decay": full_settings["weight_decay"]},
        {"params": [p for n, p in params.items() if n in no_decay], "weight_decay": 0.0},
    ]
    torch.nn.utils.clip_grad_norm_(list(params.values()), full_settings["max_grad_norm"])
    optimizer = torch.optim.AdamW(groups, lr=full_settings["lr"], betas=(0.9, 0.999), eps=1e-8)
    optimizer.step()
    return params


def sequence_log_probs(logits, labels):
    """Each row's summed log-probability of its next-token labels, and how many there are."""
    targets = labels[:, 1:]
    taken = targets != IGNORE
    log_probs = logits[:, :-1].log_softmax(-1)
    picked = log_probs.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return (picked * taken).sum(-1), taken.sum(-1)


def dpo(logits, reference_logits, labels, settings):
    """TRL's sigmoid DPO loss with an optional SFT term; runs backward, returns the outputs."""
    beta = settings["beta"]
    policy, counts = sequence_log_probs(logits, labels)
    reference, _ = sequence_log_probs(reference_logits, labels)
    n = labels.shape[0] // 2
    chosen = policy[:n] - reference[:n]
    rejected = policy[n:] - reference[n:]
    loss = -torch.nn.functional.logsigmoid(beta * (chosen - rejected)).mean()
    if settings["sft_weight"] > 0:
        loss = loss + settings["sft_weight"] * (-(policy[:n] / counts[:n])).mean()
    loss.backward()
    return {
        "loss": loss.detach().reshape(1),
        "rewards_chosen": (beta * chosen).detach(),
        "rewards_rejected": (beta * rejected).detach(),
    }


def run(case_dir):
    with open(os.path.join(case_dir, "model", "config.json")) as f:
        config = Config(json.load(f))
    full_path = os.path.join(case_dir, "full.json")
    full_settings = None
    scaling = 0.0
    if os.path.exists(full_path):
        with open(full_path) as f:
            full_settings = json.load(f)
    else:
        with open(os.path.join(case_dir, "lora.json")) as f:
            lora_settings = json.load(f)
        if lora_settings.get("use_rslora", False):
            scaling = lora_settings["alpha"] / math.sqrt(lora_settings["r"])
        else:
            scaling = lora_settings["alpha"] / lora_settings["r"]
    weights = read_weights(os.path.join(case_dir, "model"))
    if full_settings is not None:
        if config.tied:
            # Hugging Face ties lm_head to the embedding; a stored copy is not a parameter.
            weights.pop("lm_head.weight", None)
        weights = {name: tensor.clone().requires_grad_(True) for name, tensor in weights.items()}
    inputs = read_safetensors(os.path.join(case_dir, "inputs.safetensors"))
    ids = inputs.pop("input_ids").long()
    attention_mask = inputs.pop("attention_mask").long()
    labels = inputs.pop("labels").long()
    position_ids = inputs.pop("position_ids").long() if "position_ids" in inputs else None
    java_gradients = {n[len("javagrad/"):]: inputs.pop(n) for n in [n for n in inputs if n.startswith("javagrad/")]}
    lora = {name: tensor.clone().requires_grad_(True) for name, tensor in inputs.items()}
    logits = forward(config, weights, lora_linear(weights, lora, scaling), ids, attention_mask, position_ids)
    dpo_path = os.path.join(case_dir, "dpo.json")
    if os.path.exists(dpo_path):
        with open(dpo_path) as f:
            dpo_settings = json.load(f)
        with torch.no_grad():
            reference = forward(config, weights, lora_linear(weights, {}, 0.0), ids, attention_mask, position_ids)
        results = dpo(logits, reference, labels, dpo_settings)
        for name, tensor in lora.items():
            results["grad/" + name] = tensor.grad
        write_safetensors(os.path.join(case_dir, "reference.safetensors"), results)
        return

    loss = torch.nn.functional.cross_entropy(
        logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=IGNORE)
    loss.backward()
    results = {"logits": logits, "loss": loss.reshape(1)}
    for name, tensor in lora.items():
        results["grad/" + name] = tensor.grad
    if full_settings is not None:
        gradients = {name: tensor.grad for name, tensor in weights.items()}
        for name, gradient in gradients.items():
            results["grad/" + name] = gradient
        for name, tensor in adamw_step(weights, gradients, full_settings).items():
            results["updated/" + name] = tensor
        if java_gradients:
            for name, tensor in adamw_step(weights, java_gradients, full_settings).items():
                results["updated_from_java/" + name] = tensor
    write_safetensors(os.path.join(case_dir, "reference.safetensors"), results)


if __name__ == "__main__":
    torch.set_num_threads(1)
    for case in sys.argv[1:]:
        run(case)
