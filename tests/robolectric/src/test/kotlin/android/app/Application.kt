package android.app

/**
 * A stand-in for the one Android class Robolectric's runner loads outside its sandbox
 * (`org.robolectric.annotation.Config` names a subclass of it). Android's real classes are
 * never on the tests' classpath (only the sandbox may load android-all, which it prefers over
 * this file), so this empty class only lets the runner start. Tests never use it: they get
 * Android's classes inside the sandbox.
 */
open class Application
