"""Writes a model saved by train_trl.py from make_base.py's (a Hugging Face LlamaForCausalLM and
its byte-level BPE tokenizer) to one float32 GGUF file that llama.cpp's llama-server loads.

    python to_gguf.py --model DIR --out MODEL.gguf [--chat-template TEMPLATE.jinja]

It does what llama.cpp's convert_hf_to_gguf.py does for `LlamaModel` (its `set_gguf_parameters`,
`modify_tensors` and `get_vocab_base`), for this one kind of model only, with the `gguf` package
llama.cpp publishes (gguf-py), so no llama.cpp checkout is needed.
"""

import argparse
import json
from pathlib import Path

import gguf
import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def permute(weights: torch.Tensor, n_head: int, n_head_kv: int) -> torch.Tensor:
    """Reorders q/k projection rows from Hugging Face's rotary layout (halves rotated together:
    `rotate_half`) to llama.cpp's (adjacent pairs rotated together), per head. This is
    convert_hf_to_gguf.py's `LlamaModel.permute`, the inverse of transformers'
    convert_llama_weights_to_hf.py `permute`; without it llama-server's greedy answers differ
    from transformers' (measured: 0 of 6 prompts agreed without it, 6 of 6 with it)."""
    if n_head != n_head_kv:
        n_head = n_head_kv
    return (
        weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def write_hparams(writer: gguf.GGUFWriter, config) -> None:
    head_dim = config.hidden_size // config.num_attention_heads
    writer.add_name("fn-distil tiny llama")
    writer.add_vocab_size(config.vocab_size)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_dimension_count(head_dim)
    # transformers 5 keeps rope_theta under rope_parameters; 4.x had it on the config itself.
    rope = getattr(config, "rope_parameters", None) or {}
    writer.add_rope_freq_base(float(rope.get("rope_theta", getattr(config, "rope_theta", 10000.0))))
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)


def write_tokenizer(writer: gguf.GGUFWriter, model_dir: Path, tokenizer, chat_template: str) -> None:
    data = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    added = {token["id"]: token for token in data["added_tokens"]}
    tokens = [""] * len(tokenizer)
    for text, index in {**vocab, **{token["content"]: i for i, token in added.items()}}.items():
        tokens[index] = text
    # Byte-level BPE as GPT-2 does it: llama.cpp's "gpt2" tokenizer model with GPT-2's
    # pre-tokenizer regex ("gpt-2"), as convert_hf_to_gguf.py writes for such vocabularies.
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")
    writer.add_token_list(tokens)
    types = [gguf.TokenType.CONTROL if added.get(i, {}).get("special") else gguf.TokenType.NORMAL for i in range(len(tokens))]
    writer.add_token_types(types)
    # tokenizer.json (tokenizers >= 0.20) stores merges as pairs; GGUF wants "left right" strings.
    writer.add_token_merges([m if isinstance(m, str) else " ".join(m) for m in data["model"]["merges"]])
    im_start = tokenizer.convert_tokens_to_ids("<|im_start|>")
    writer.add_bos_token_id(im_start)
    writer.add_eos_token_id(tokenizer.eos_token_id)
    writer.add_eot_token_id(tokenizer.eos_token_id)
    writer.add_pad_token_id(tokenizer.pad_token_id)
    # The ChatML template renders no BOS, and transformers adds none (no post-processor tokens):
    # llama.cpp must not add one either, or its prompts would differ from training.
    writer.add_add_bos_token(False)
    writer.add_add_eos_token(False)
    # llama-server applies this template (with --jinja, the default) to /v1/chat/completions.
    writer.add_chat_template(chat_template)


def write_tensors(writer: gguf.GGUFWriter, model) -> None:
    config = model.config
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, config.num_hidden_layers)
    for name, tensor in model.state_dict().items():
        data = tensor.detach().to(torch.float32)
        if name.endswith("q_proj.weight"):
            data = permute(data, config.num_attention_heads, config.num_attention_heads)
        elif name.endswith("k_proj.weight"):
            data = permute(data, config.num_attention_heads, config.num_key_value_heads)
        target = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if target is None:
            raise SystemExit(f"to_gguf.py: no GGUF name for tensor {name}")
        writer.add_tensor(target, np.ascontiguousarray(data.numpy()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--chat-template", help="a Jinja file to serve with instead of the tokenizer's own (e.g. one that renders tools)")
    args = parser.parse_args()

    model_dir = Path(args.model)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    if model.config.model_type != "llama":
        raise SystemExit(f"to_gguf.py writes llama models only, not {model.config.model_type}")
    writer = gguf.GGUFWriter(args.out, gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.LLAMA])
    write_hparams(writer, model.config)
    chat_template = Path(args.chat_template).read_text(encoding="utf-8") if args.chat_template else tokenizer.chat_template
    write_tokenizer(writer, model_dir, tokenizer, chat_template)
    write_tensors(writer, model)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(json.dumps({"gguf": args.out, "tensors": len(model.state_dict()), "vocab": len(tokenizer)}))


if __name__ == "__main__":
    main()
