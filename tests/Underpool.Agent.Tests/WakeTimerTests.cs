using Underpool.Agent.Nodes;

namespace Underpool.Agent.Tests;

public sealed class WakeTimerTests
{
    [Fact]
    public async Task News_wakes_the_wait_early_and_the_tick_still_comes_on_its_schedule()
    {
        var clock = new ManualClock();
        var uplinks = new LocalUplinks();
        using var wake = new WakeTimer(TimeSpan.FromMinutes(1), clock, uplinks.WaitForChangeAsync);

        Task<bool> first = wake.WaitAsync(CancellationToken.None);
        Assert.False(first.IsCompleted);
        uplinks.Add("02:00:00:00:00:01");
        bool firstWasTick = await first;
        Task<bool> second = wake.WaitAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        clock.Fire();
        bool secondWasTick = await second;

        Assert.Equal((false, true), (firstWasTick, secondWasTick));
    }

    [Fact]
    public async Task A_mac_learnt_again_is_no_news()
    {
        var clock = new ManualClock();
        var uplinks = new LocalUplinks();
        uplinks.Add("02:00:00:00:00:01");
        using var wake = new WakeTimer(TimeSpan.FromMinutes(1), clock, uplinks.WaitForChangeAsync);

        Task<bool> wait = wake.WaitAsync(CancellationToken.None);
        Assert.False(uplinks.Add("02:00:00:00:00:01"));
        Assert.False(wait.IsCompleted);
        clock.Fire();

        Assert.True(await wait);
    }

    /// <summary>A clock whose timers fire when the test says so.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private readonly List<ManualTimer> _timers = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(callback, state);
            _timers.Add(timer);
            return timer;
        }

        public void Fire()
        {
            foreach (ManualTimer timer in _timers)
            {
                timer.Fire();
            }
        }

        private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
        {
            public void Fire() => callback(state);

            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
