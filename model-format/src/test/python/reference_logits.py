"""The next-token logits after a sequence of token ids, from the training node's independent PyTorch
reference (training-node/src/test/python/reference_model.py, float64), for LlamaCppTest to compare
llama.cpp's logits of a GGUF export with.

usage: reference_logits.py REFERENCE_DIR MODEL_DIR ID...
  REFERENCE_DIR holds reference_model.py; MODEL_DIR is a Hugging Face folder
  prints the logits at the last position as a JSON list
"""

import json
import os
import sys

import torch

sys.path.insert(0, sys.argv[1])
import reference_model  # noqa: E402

model_dir = sys.argv[2]
with open(os.path.join(model_dir, "config.json")) as f:
    config = reference_model.Config(json.load(f))
weights = reference_model.read_weights(model_dir)
ids = torch.tensor([[int(token) for token in sys.argv[3:]]])
with torch.no_grad():
    logits = reference_model.forward(
        config, weights, reference_model.lora_linear(weights, {}, 0.0), ids, torch.ones_like(ids), None)
print(json.dumps(logits[0, -1].tolist()))
