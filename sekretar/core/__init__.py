"""The foundation every part imports: the error tree (`errors`), settings
from the environment and time zones by name (`config`), logging (`logs`),
the shared types (`types`: Turn, Reply, Person, Action, Created, Workspace),
the text helpers written once (`text`: folding, words, capitalising,
language detection) and the intents declared once (`intents`, read from
intents.yaml). It imports nothing else of sekretar."""
