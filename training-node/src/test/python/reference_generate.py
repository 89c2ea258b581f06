"""Independent PyTorch reference for the Java generator's greedy decoding.

Greedy continuation of one prompt with the architectures of reference_model.py (whose
safetensors, config and rotary helpers it reuses) plus PEFT's LoRA, in float64 and with no
KV cache: the whole sequence runs through the model again for every new token, so it shares
nothing with the cached path it checks.

usage: reference_generate.py CASE_DIR
  reads  CASE_DIR/model/ (a Hugging Face directory), CASE_DIR/inputs.safetensors (prompt as
         [1, length]; LoRA matrices by PEFT name without the base_model.model. prefix) and
         CASE_DIR/generate.json ({"r", "alpha", "max_new_tokens"})
  writes CASE_DIR/reference.safetensors: tokens (the new token ids), margins (the gap
         between the largest and second-largest logit at each step, to tell ties from errors)
         and logits ([steps, vocab], every step's logits of the last position)
"""

import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import Config, inverse_frequencies, read_safetensors, read_weights, rms_norm, rotate_half, write_safetensors  # noqa: E402


def last_logits(config, weights, lora, scaling, ids):
    """Logits of the last position of one unpadded sequence."""
    length = ids.shape[0]

    def linear(x, prefix):
        y = x @ weights[prefix + ".weight"].T
        if prefix + ".bias" in weights:
            y = y + weights[prefix + ".bias"]
        a = lora.get(prefix + ".lora_A.weight")
        if a is not None:
            y = y + scaling * ((x @ a.T) @ lora[prefix + ".lora_B.weight"].T)
        return y

    angles = torch.arange(length, dtype=torch.float64)[:, None] * inverse_frequencies(config)[None, :]
    cos = torch.cat((angles, angles), dim=-1).cos()
    sin = torch.cat((angles, angles), dim=-1).sin()
    causal = torch.tril(torch.ones(length, length, dtype=torch.bool))
    groups = config.heads // config.kv_heads
    hidden = weights["model.embed_tokens.weight"][ids]
    for layer in range(config.layers):
        prefix = f"model.layers.{layer}."
        x = rms_norm(hidden, weights[prefix + "input_layernorm.weight"], config.eps)
        q = linear(x, prefix + "self_attn.q_proj").view(length, config.heads, config.head_dim).transpose(0, 1)
        k = linear(x, prefix + "self_attn.k_proj").view(length, config.kv_heads, config.head_dim).transpose(0, 1)
        v = linear(x, prefix + "self_attn.v_proj").view(length, config.kv_heads, config.head_dim).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = (k * cos + rotate_half(k) * sin).repeat_interleave(groups, dim=0)
        v = v.repeat_interleave(groups, dim=0)
        scores = ((q @ k.transpose(-1, -2)) / math.sqrt(config.head_dim)).masked_fill(~causal, float("-inf"))
        attended = (scores.softmax(-1) @ v).transpose(0, 1).reshape(length, config.heads * config.head_dim)
        hidden = hidden + linear(attended, prefix + "self_attn.o_proj")
        x = rms_norm(hidden, weights[prefix + "post_attention_layernorm.weight"], config.eps)
        gate = linear(x, prefix + "mlp.gate_proj")
        hidden = hidden + linear(torch.nn.functional.silu(gate) * linear(x, prefix + "mlp.up_proj"), prefix + "mlp.down_proj")
    hidden = rms_norm(hidden[-1], weights["model.norm.weight"], config.eps)
    head = weights["model.embed_tokens.weight"] if config.tied else weights["lm_head.weight"]
    return hidden @ head.T


def run(case_dir):
    with open(os.path.join(case_dir, "model", "config.json")) as f:
        config = Config(json.load(f))
    with open(os.path.join(case_dir, "generate.json")) as f:
        settings = json.load(f)
    scaling = settings["alpha"] / settings["r"]
    weights = read_weights(os.path.join(case_dir, "model"))
    inputs = read_safetensors(os.path.join(case_dir, "inputs.safetensors"))
    ids = inputs.pop("prompt").long()[0]
    tokens, margins, step_logits = [], [], []
    with torch.no_grad():
        for _ in range(settings["max_new_tokens"]):
            logits = last_logits(config, weights, inputs, scaling, ids)
            step_logits.append(logits)
            top = logits.topk(2)
            tokens.append(int(top.indices[0]))
            margins.append(float(top.values[0] - top.values[1]))
            ids = torch.cat((ids, top.indices[:1]))
    write_safetensors(
        os.path.join(case_dir, "reference.safetensors"),
        {
            "tokens": torch.tensor(tokens, dtype=torch.float64),
            "margins": torch.tensor(margins, dtype=torch.float64),
            "logits": torch.stack(step_logits),
        },
    )


if __name__ == "__main__":
    torch.set_num_threads(1)
    for case in sys.argv[1:]:
        run(case)
