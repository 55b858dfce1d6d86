"""A support bot: answers tickets with an LLM, looks things up, notifies agents."""
