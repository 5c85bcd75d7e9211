"""The foundation every part imports: the error tree (`errors`), settings
from the environment (`config`), logging (`logs`). It imports nothing else
of sekretar."""
