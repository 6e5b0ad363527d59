"""One small client per outside service the action server talks to."""
