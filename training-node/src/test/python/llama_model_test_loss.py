"""The expected loss of LlamaModelTest.lossMatchesAnIndependentReferenceImplementation.

Runs reference_model.py (float64, PyTorch) on the test's tiny model and batch. The test's fresh
LoRA adapter (r 2, alpha 4, on q_proj) has B = 0, so the loss is the base model's; zero
matrices of that shape stand in for it. The model is
what LlamaModelTest.writeTinyModel writes:
DemoModelWriter.builder().optSeed(5).optHiddenSize(16).optIntermediateSize(24).optHeads(4, 2)
.build().writeTo(MODEL_DIR), for instance with jshell on the training-node test classpath.

usage: llama_model_test_loss.py MODEL_DIR
prints the loss, rounded to float32 as reference_model.py stores it, with 8 decimals: 6.29484129
"""

import json
import os
import sys
import tempfile

import torch

import reference_model

# LlamaModelTest.batch(): two rows of 6, the second right-padded, labels on a few tokens only.
IDS = [[5, 17, 99, 3, 250, 42], [7, 8, 9, 10, 0, 0]]
MASK = [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]]
LABELS = [[-100, -100, 99, 3, 250, 42], [-100, 8, 9, 10, -100, -100]]


def main(model_dir):
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as case:
        os.symlink(os.path.abspath(model_dir), os.path.join(case, "model"))
        with open(os.path.join(model_dir, "config.json")) as f:
            config = json.load(f)
        hidden = config["hidden_size"]
        heads = config["num_attention_heads"]
        head_dim = config.get("head_dim") or hidden // heads
        inputs = {
            "input_ids": torch.tensor(IDS, dtype=torch.int64),
            "attention_mask": torch.tensor(MASK, dtype=torch.int64),
            "labels": torch.tensor(LABELS, dtype=torch.int64),
        }
        for layer in range(config["num_hidden_layers"]):
            prefix = f"model.layers.{layer}.self_attn.q_proj."
            inputs[prefix + "lora_A.weight"] = torch.zeros(2, hidden)
            inputs[prefix + "lora_B.weight"] = torch.zeros(heads * head_dim, 2)
        reference_model.write_safetensors(os.path.join(case, "inputs.safetensors"), inputs)
        with open(os.path.join(case, "lora.json"), "w") as f:
            f.write('{"r": 2, "alpha": 4}')
        reference_model.run(case)
        loss = reference_model.read_safetensors(os.path.join(case, "reference.safetensors"))["loss"]
    print(f"{loss.item():.8f}")


if __name__ == "__main__":
    main(sys.argv[1])
