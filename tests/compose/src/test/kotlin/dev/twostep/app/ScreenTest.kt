package dev.twostep.app

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.asSkiaBitmap
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.printToString
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestDispatcher
import kotlinx.coroutines.test.resetMain
import kotlinx.coroutines.test.setMain
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image
import org.junit.Rule
import org.junit.rules.TemporaryFolder

/**
 * What every screen test shares: a phone-sized window and one virtual clock for everything
 * that happens on screen.
 *
 * - [runScreenTest] opens a 412 × 640 dp window at density 2 (Compose's v2 test API, headless),
 *   so dialogs centre where a phone's would and [screenshot] saves the whole screen, dialogs
 *   included, as `target/screens/NAME.png` (scripts/screenshots publishes them to docs/screens/).
 * - [dispatcher] runs the composition, `Dispatchers.Main` (so `viewModelScope`) and the
 *   vault's calls (hand it to `AsyncVault` as `io`), all on one scheduler:
 *   `mainClock.advanceTimeBy(1_000)` moves the screen, the view model's coroutines and
 *   [clockMillis] by one second together, and nothing sleeps. The clock does not advance on
 *   its own (`autoAdvance = false`): a ticking screen is never idle. After a click or typed
 *   text, [nextFrame] lets the screen react.
 */
@OptIn(ExperimentalCoroutinesApi::class, ExperimentalTestApi::class)
abstract class ScreenTest {
    protected val dispatcher: TestDispatcher = StandardTestDispatcher()

    @get:Rule
    val temp = TemporaryFolder()

    /** The wall clock the core is asked about: [START_MILLIS] plus the virtual time passed. */
    protected val clockMillis: () -> Long = { START_MILLIS + dispatcher.scheduler.currentTime }

    /** Runs [block] against a phone-sized window on the virtual clock. */
    protected fun runScreenTest(block: SkikoComposeUiTest.() -> Unit) {
        Dispatchers.setMain(dispatcher)
        try {
            runSkikoComposeUiTest(
                size = Size(WIDTH_DP * DENSITY, HEIGHT_DP * DENSITY),
                density = Density(DENSITY),
                effectContext = dispatcher,
            ) {
                mainClock.autoAdvance = false
                block()
            }
        } finally {
            Dispatchers.resetMain()
        }
    }

    /** Shows [content] as the app would, filling the window. */
    protected fun SkikoComposeUiTest.show(content: @Composable () -> Unit) {
        setContent {
            MaterialTheme(colorScheme = lightColorScheme()) { content() }
        }
        nextFrame()
    }

    /**
     * Lets the screen react to what a test just did: one frame (16 ms of virtual time) for
     * recomposition and layout, and the coroutines that became due.
     */
    protected fun SkikoComposeUiTest.nextFrame() {
        mainClock.advanceTimeByFrame()
        waitForIdle()
    }

    /**
     * Lets the screen run until [done]: for what the core does over real HTTP on its own
     * threads (an action's answer, a push answered on another device), which the virtual clock
     * cannot hurry. Bounded, and the failure says what never showed.
     */
    protected fun SkikoComposeUiTest.until(what: String, done: () -> Boolean) {
        val deadline = System.nanoTime() + 20_000_000_000L
        nextFrame()
        while (!done()) {
            check(System.nanoTime() < deadline) { "the screen never showed $what; it shows:\n" + onRoot().printToString() }
            Thread.sleep(10)
            nextFrame()
        }
    }

    /** Waits ([until]) for a node matching [matcher], e.g. `hasText(…)` or `hasTestTag(…)`. */
    protected fun SkikoComposeUiTest.awaitNode(matcher: SemanticsMatcher) =
        until(matcher.description) { onAllNodes(matcher).fetchSemanticsNodes().isNotEmpty() }

    /** Waits for [text] on screen (the whole text of a node). */
    protected fun SkikoComposeUiTest.awaitText(text: String) = awaitNode(hasText(text))

    /** The text a node shows, e.g. the number on the push wait (tag `push-number`). */
    protected fun SkikoComposeUiTest.textOf(tag: String): String =
        onNodeWithTag(tag).fetchSemanticsNode().config[SemanticsProperties.Text].joinToString("") { it.text }

    /** Clicks the clickable node that says [label] (a title may say the same). */
    protected fun SkikoComposeUiTest.click(label: String) {
        awaitNode(hasText(label) and hasClickAction())
        scrollTo(hasText(label) and hasClickAction()).performClick()
        nextFrame()
    }

    /**
     * Scrolls the page until the node matching [matcher] shows, as a seller's thumb would.
     * The scroll is animated, and an animation only moves while the clock does: the clock
     * advances on its own for the scroll alone.
     */
    protected fun SkikoComposeUiTest.scrollTo(matcher: SemanticsMatcher): SemanticsNodeInteraction {
        mainClock.autoAdvance = true
        try {
            onNode(matcher).performScrollTo()
            waitForIdle()
        } finally {
            mainClock.autoAdvance = false
        }
        return onNode(matcher)
    }

    /** Lets animations (a field's label, a ripple) finish before a [screenshot]. */
    protected fun SkikoComposeUiTest.settle() {
        mainClock.advanceTimeBy(600)
        waitForIdle()
    }

    /** Saves what the window shows now, dialogs included, as target/screens/[name].png. */
    protected fun SkikoComposeUiTest.screenshot(name: String) {
        waitForIdle()
        val png = Image.makeFromBitmap(captureToImage().asSkiaBitmap()).encodeToData(EncodedImageFormat.PNG)
            ?: error("the screenshot of $name could not be encoded")
        val file = File("target/screens/$name.png")
        file.parentFile.mkdirs()
        file.writeBytes(png.bytes)
    }

    companion object {
        private const val WIDTH_DP = 412f
        private const val HEIGHT_DP = 640f
        private const val DENSITY = 2f

        /** 2023-11-14 22:13:20 UTC: 10 s left in its 30 s period (1 700 000 000 mod 30 = 20). */
        const val START_MILLIS = 1_700_000_000_000L
    }
}
