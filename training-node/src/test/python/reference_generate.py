"""Independent PyTorch reference for the Java generator's greedy decoding.

Greedy continuation of one prompt with the architectures of reference_model.py (whose
safetensors, config and forward pass it reuses) plus PEFT's LoRA, in float64 and with no
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
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_model import Config, forward, lora_linear, read_safetensors, read_weights, write_safetensors  # noqa: E402


def last_logits(config, weights, lora, scaling, ids):
    """Logits of the last position of one unpadded sequence."""
    length = ids.shape[0]
    linear = lora_linear(weights, lora, scaling)
    return forward(config, weights, linear, ids[None], torch.ones(1, length, dtype=torch.long), None)[0, -1]


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
