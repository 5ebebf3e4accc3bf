/** File system sinks (kind `path`), resolution functions and containment checks. Data only. */

export interface PathFunctionSink {
  readonly functions: readonly string[];
  /** Positions that are paths (both ends of a copy or rename). */
  readonly args: readonly number[];
  readonly keywords?: readonly string[];
}

export const PATH_FUNCTION_SINKS: readonly PathFunctionSink[] = [
  { functions: ['open', 'io.open', 'codecs.open', 'os.open', 'aiofiles.open', 'builtins.open'], args: [0], keywords: ['file', 'path'] },
  {
    functions: [
      'os.remove', 'os.unlink', 'os.rmdir', 'os.removedirs', 'os.makedirs', 'os.mkdir', 'os.listdir', 'os.scandir',
      'os.walk', 'os.chmod', 'os.chown', 'os.truncate', 'os.utime', 'shutil.rmtree', 'shutil.chown', 'glob.glob',
      'glob.iglob', 'tarfile.open', 'zipfile.ZipFile', 'aiofiles.os.remove', 'aiofiles.os.unlink', 'aiofiles.os.listdir',
      'aiofiles.os.makedirs', 'aiofiles.os.rmdir', 'flask.send_file', 'starlette.responses.FileResponse',
      'fastapi.responses.FileResponse', 'fastapi.FileResponse', 'os.path.getsize', 'linecache.getlines',
    ],
    args: [0],
    keywords: ['path', 'file', 'filename', 'path_or_file', 'name'],
  },
  {
    functions: ['os.rename', 'os.replace', 'os.symlink', 'os.link', 'shutil.copy', 'shutil.copy2', 'shutil.copyfile',
      'shutil.copytree', 'shutil.move', 'shutil.unpack_archive', 'shutil.make_archive', 'aiofiles.os.rename'],
    args: [0, 1],
    keywords: ['src', 'dst'],
  },
  // GitPython opens or creates a repository at the path, and its git commands then read and
  // write there (CVE-2025-68145 / CVE-2025-68143, mcp-server-git).
  {
    functions: ['git.Repo', 'git.repo.Repo', 'git.repo.base.Repo', 'git.Repo.init', 'git.repo.Repo.init', 'git.repo.base.Repo.init'],
    args: [0],
    keywords: ['path'],
  },
  { functions: ['git.Repo.clone_from', 'git.repo.Repo.clone_from', 'git.repo.base.Repo.clone_from'], args: [1], keywords: ['to_path'] },
  // pypandoc runs pandoc on the file it is given and writes the output file it is told
  // (vivekVells/mcp-pandoc's input_file and output_file tool arguments).
  { functions: ['pypandoc.convert_file'], args: [0], keywords: ['source_file', 'outputfile'] },
  { functions: ['pypandoc.convert_text'], args: [], keywords: ['outputfile'] },
  // pandas' readers open whatever path (or URL) they are given and writers create the file
  // (reading-plus-ai/mcp-server-data-exploration's load_csv, its issue #12).
  {
    functions: [
      'pandas.read_csv', 'pandas.read_table', 'pandas.read_excel', 'pandas.read_json', 'pandas.read_parquet',
      'pandas.read_feather', 'pandas.read_orc', 'pandas.read_xml', 'pandas.read_html', 'pandas.read_fwf', 'pandas.read_stata',
      'pandas.read_sas', 'pandas.read_spss', 'pandas.read_hdf',
    ],
    args: [0],
    keywords: ['filepath_or_buffer', 'io', 'path', 'path_or_buf', 'path_or_buffer'],
  },
];

/** pathlib methods that touch the file system at the receiver's path. */
export const PATH_METHODS: ReadonlySet<string> = new Set([
  'read_text', 'read_bytes', 'write_text', 'write_bytes', 'open', 'unlink', 'rmdir', 'mkdir', 'touch', 'rename',
  'replace', 'iterdir', 'glob', 'rglob', 'symlink_to', 'hardlink_to', 'chmod', 'lchmod', 'rmtree', 'copy', 'move',
]);

/** pathlib methods no str/dict/file object has: a tainted receiver is enough. */
export const PATH_ONLY_METHODS: ReadonlySet<string> = new Set([
  'read_text', 'read_bytes', 'write_text', 'write_bytes', 'unlink', 'rmdir', 'mkdir', 'touch', 'iterdir', 'rglob',
  'symlink_to', 'hardlink_to', 'lchmod', 'rmtree',
]);

/** pathlib methods that also take a path argument (`p.rename(target)`). */
export const PATH_METHODS_WITH_TARGET: ReadonlySet<string> = new Set(['rename', 'replace', 'symlink_to', 'hardlink_to']);

/** Resolve symlinks and `..`: a containment check after these is sound. */
export const REALPATH_FUNCTIONS: ReadonlySet<string> = new Set(['os.path.realpath', 'posixpath.realpath', 'ntpath.realpath']);
/** Normalise `..` but not symlinks. */
export const NORMALISE_FUNCTIONS: ReadonlySet<string> = new Set([
  'os.path.abspath', 'os.path.normpath', 'posixpath.abspath', 'posixpath.normpath', 'ntpath.abspath', 'ntpath.normpath',
]);
/** Path methods: `resolve()` resolves symlinks, `absolute()` does not even normalise. */
export const REALPATH_METHODS: ReadonlySet<string> = new Set(['resolve']);

/** Calls whose result cannot leave a directory (a bare file name or a checked join). */
export const PATH_SANITIZERS: readonly string[] = [
  'os.path.basename', 'posixpath.basename', 'ntpath.basename', 'werkzeug.utils.secure_filename',
  'werkzeug.secure_filename', 'werkzeug.security.safe_join', 'flask.safe_join', 'pathvalidate.sanitize_filename',
];

/** Attributes of a Path that are a bare file name. */
export const PATH_NAME_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'stem', 'suffix']);

/** pathlib constructors. */
export const PATH_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.PurePosixPath', 'pathlib.WindowsPath', 'anyio.Path',
  'aiopath.AsyncPath', 'trio.Path',
]);
