"""Greedy answers of a model saved by train_trl.py, from transformers itself: the reference a GGUF
served by llama-server must reproduce token for token.

    python generate.py --model DIR --messages MESSAGES.json [--max-tokens 24]

MESSAGES.json holds a list of conversations (each a list of chat messages); prints a JSON list
of answers, one per conversation, each the decoded text without special tokens.
"""

import argparse
import json

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--messages", required=True)
    parser.add_argument("--max-tokens", type=int, default=24)
    args = parser.parse_args()

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).eval()
    with open(args.messages, encoding="utf-8") as file:
        conversations = json.load(file)
    answers = []
    for messages in conversations:
        inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        with torch.no_grad():
            output = model.generate(**inputs, max_new_tokens=args.max_tokens, do_sample=False)
        answers.append(tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True))
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
