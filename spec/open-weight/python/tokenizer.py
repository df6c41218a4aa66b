"""A byte-level BPE tokenizer trained on the dataset itself, with a ChatML chat template.

Byte-level BPE with GPT-2's pre-tokenizer because llama.cpp implements exactly that one (GGUF
`tokenizer.ggml.model = "gpt2"`, `tokenizer.ggml.pre = "gpt-2"`; llama.cpp src/llama-vocab.cpp),
so llama-server splits a prompt into the same tokens as transformers.
"""

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

PAD = "<|endoftext|>"
IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
SPECIAL_TOKENS = [PAD, IM_START, IM_END]

# ChatML turns, as in Qwen2.5's chat template minus its tools and default-system branches. The
# assistant's turn ends with <|im_end|>, the end-of-generation token, so a trained model stops by itself.
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def chatml(messages) -> str:
    """The text CHATML renders, for training the BPE merges on what the model will see."""
    return "".join(f"{IM_START}{m['role']}\n{m['content']}{IM_END}\n" for m in messages)


def build_tokenizer(rows, vocab_size: int = 512) -> PreTrainedTokenizerFast:
    """Trains BPE merges on the rows' prompts and completions (special tokens first: ids 0, 1, 2)."""
    tokenizer = Tokenizer(models.BPE())
    # use_regex=True is GPT-2's split; add_prefix_space=False so "{" after "assistant\n" stays "{".
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator((chatml(row["prompt"] + row["completion"]) for row in rows), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=IM_END,
        pad_token=PAD,
        chat_template=CHATML,
    )
