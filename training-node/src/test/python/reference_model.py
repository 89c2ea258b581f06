"""Independent PyTorch reference for the Java trainer's forward pass, loss and LoRA gradients.

Written from the architecture definitions of Hugging Face's LlamaForCausalLM,
MistralForCausalLM and Qwen2ForCausalLM (RMSNorm, rotate_half rotary embeddings with optional
Llama 3.1 frequency scaling, grouped-query attention with causal and padding masks, SwiGLU,
q/k/v biases for Qwen2, tied embeddings) and of PEFT's LoRA
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


class Config:
    def __init__(self, raw):
        self.architecture = raw["architectures"][0]
        if self.architecture not in ("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"):
            raise ValueError(f"no reference for {self.architecture}")
        self.hidden = raw["hidden_size"]
        self.layers = raw["num_hidden_layers"]
        self.heads = raw["num_attention_heads"]
        self.kv_heads = raw.get("num_key_value_heads") or self.heads
        self.head_dim = raw.get("head_dim") or self.hidden // self.heads
        self.eps = raw["rms_norm_eps"]
        rope = raw.get("rope_parameters") or raw.get("rope_scaling") or {}
        self.theta = raw.get("rope_theta", rope.get("rope_theta", 10000.0))
        self.rope = rope if rope.get("rope_type", rope.get("type")) == "llama3" else None
        self.tied = raw.get("tie_word_embeddings", False)
        self.qkv_bias = self.architecture == "Qwen2ForCausalLM"
        window = raw.get("sliding_window")
        applies = self.architecture == "MistralForCausalLM" or (
            self.architecture == "Qwen2ForCausalLM" and raw.get("use_sliding_window", False))
        self.window = window if applies else None


def inverse_frequencies(config):
    exponents = torch.arange(0, config.head_dim, 2, dtype=torch.float64) / config.head_dim
    inv = 1.0 / (config.theta ** exponents)
    if config.rope is None:
        return inv
    factor = config.rope["factor"]
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


def rms_norm(x, weight, eps):
    return weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)


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
    batch, length = ids.shape
    if config.window is not None:
        assert length <= config.window, "the reference, like the trainer, covers sequences within the window"

    def linear(x, prefix):
        y = x @ weights[prefix + ".weight"].T
        if prefix + ".bias" in weights:
            y = y + weights[prefix + ".bias"]
        a = lora.get(prefix + ".lora_A.weight")
        if a is not None:
            y = y + scaling * ((x @ a.T) @ lora[prefix + ".lora_B.weight"].T)
        return y

    if position_ids is None:
        positions = torch.arange(length, dtype=torch.float64)
        angles = positions[:, None] * inverse_frequencies(config)[None, :]
    else:
        # [batch, 1, length, head_dim / 2]: each row at its own positions
        angles = (position_ids.to(torch.float64)[:, :, None] * inverse_frequencies(config)[None, None, :])[:, None]
    cos = torch.cat((angles, angles), dim=-1).cos()
    sin = torch.cat((angles, angles), dim=-1).sin()
    causal = torch.tril(torch.ones(length, length, dtype=torch.bool))
    visible = causal[None, None, :, :] & attention_mask.bool()[:, None, None, :]
    if position_ids is not None:
        # a position 0 starts the next example of a packed row
        example = torch.cumsum((position_ids == 0).long(), dim=1)
        visible = visible & (example[:, None, :, None] == example[:, None, None, :])
    groups = config.heads // config.kv_heads

    hidden = weights["model.embed_tokens.weight"][ids]
    for layer in range(config.layers):
        prefix = f"model.layers.{layer}."
        x = rms_norm(hidden, weights[prefix + "input_layernorm.weight"], config.eps)
        q = linear(x, prefix + "self_attn.q_proj").view(batch, length, config.heads, config.head_dim).transpose(1, 2)
        k = linear(x, prefix + "self_attn.k_proj").view(batch, length, config.kv_heads, config.head_dim).transpose(1, 2)
        v = linear(x, prefix + "self_attn.v_proj").view(batch, length, config.kv_heads, config.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # key/value head h serves query heads h * groups ... (h + 1) * groups - 1
        k = k.repeat_interleave(groups, dim=1)
        v = v.repeat_interleave(groups, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(config.head_dim)
        scores = scores.masked_fill(~visible, float("-inf"))
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, config.heads * config.head_dim)
        hidden = hidden + linear(attended, prefix + "self_attn.o_proj")
        x = rms_norm(hidden, weights[prefix + "post_attention_layernorm.weight"], config.eps)
        gate = linear(x, prefix + "mlp.gate_proj")
        hidden = hidden + linear(torch.nn.functional.silu(gate) * linear(x, prefix + "mlp.up_proj"), prefix + "mlp.down_proj")
    hidden = rms_norm(hidden, weights["model.norm.weight"], config.eps)
    head = weights["model.embed_tokens.weight"] if config.tied else weights["lm_head.weight"]
    logits = hidden @ head.T

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
