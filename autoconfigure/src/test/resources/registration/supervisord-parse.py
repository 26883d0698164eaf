# Reads a generated program section the way supervisord 4.2 does, with supervisord's own
# code: its config parser (inline ';' and '#' comments), '%' expansion, shlex.split of
# the command and its environment parser. Prints the arguments, then the environment,
# NUL-separated, with an empty field in between.
import shlex
import sys

from supervisor.datatypes import dict_of_key_value_pairs
from supervisor.options import UnhosedConfigParser, expand

parser = UnhosedConfigParser()
parser.read(sys.argv[1])
section = parser.sections()[0]
expansions = {'ENV_HOME': '/root', 'program_name': 'x', 'group_name': 'x', 'process_num': 0,
              'numprocs': 1, 'host_node_name': 'h', 'here': '/'}
arguments = shlex.split(expand(parser.get(section, 'command'), expansions, 'command'))
environment = {}
if parser.has_option(section, 'environment'):
    environment = dict_of_key_value_pairs(expand(parser.get(section, 'environment'), expansions, 'environment'))
directory = expand(parser.get(section, 'directory'), expansions, 'directory')
fields = arguments + [''] + [k + '=' + v for k, v in environment.items()] + ['', directory]
sys.stdout.write('\0'.join(fields))
