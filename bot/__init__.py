"""Shop-support domain: data, queries and policies. Knows nothing of Rasa."""
