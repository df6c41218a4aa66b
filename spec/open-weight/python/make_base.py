"""A tiny untrained llama and its tokenizer, saved as a "pretrained" model folder: the stand-in for a
hub model (no download here) that docs/examples/open-weight/train_trl.py fine-tunes with `--model`.

    python make_base.py --train TRAIN.jsonl --out DIR [--seed 1]

The tokenizer is byte-level BPE trained on TRAIN.jsonl (tokenizer.py); the weights are random.
"""

import argparse
import json

from transformers import LlamaConfig, LlamaForCausalLM, set_seed

from tokenizer import build_tokenizer


def tiny_llama(tokenizer) -> LlamaForCausalLM:
    # About 164,000 parameters: enough for a keyword classifier, a few minutes on 2 cores.
    # Fewer key/value heads than query heads, so to_gguf.py's grouped-query permutation is exercised.
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=192,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        # RoPE positions cost no parameters: room for prompts that list tools (about 540 tokens with a
        # Hermes-style template) although training only sees ~130-token examples.
        max_position_embeddings=2048,
        rms_norm_eps=1e-5,
        tie_word_embeddings=False,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return LlamaForCausalLM(config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    set_seed(args.seed)
    with open(args.train, encoding="utf-8") as file:
        rows = [json.loads(line) for line in file if line.strip()]
    tokenizer = build_tokenizer(rows)
    model = tiny_llama(tokenizer)
    model.save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    print(json.dumps({"parameters": sum(p.numel() for p in model.parameters()), "vocab": len(tokenizer)}))


if __name__ == "__main__":
    main()
