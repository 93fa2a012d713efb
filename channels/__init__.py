"""Rasa input channels of the assistant (REST and socket.io) that respect human handoffs."""
